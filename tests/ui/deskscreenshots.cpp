// pdesk_screenshots: takes the user guide's screenshots from the real app. It builds the real main window on a
// scratch settings file and data directory, starts the bundled service as the app does, drives the window by object
// name through a short session (publish a few orders, browse, consume, ack, inspect, read) and saves each view as a
// PNG. scripts/take-screenshots.sh runs it under Xvfb so that fonts and styles are those of a real X display.
#include "mainwindow/mainwindow.h"

#include "dialogs/profiledialog.h"
#include "models/messagetablemodel.h"
#include "models/sendresultmodel.h"
#include "widgets/consumerpanel.h"
#include "widgets/producerpanel.h"
#include "widgets/readerpanel.h"

#include "local/localservice.h"
#include "secrets/secretstore.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include "deskdriver.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <cstdio>
#include <functional>

using namespace Gui;
using TestSupport::cell;
using TestSupport::child;
using TestSupport::choose;

namespace {

constexpr int kTimeoutMs = 30000;
const QString kTopic = QStringLiteral("persistent://public/default/orders");

void waitFor(const char *what, const std::function<bool()> &condition)
{
    if (!QTest::qWaitFor(condition, kTimeoutMs))
        qFatal("timed out waiting for %s", what);
    QTest::qWait(150); // one more round of batched repaints (the models flush at 20 Hz)
}

void save(QWidget *widget, const QString &dir, const QString &name)
{
    const QString path = QDir(dir).filePath(name);
    if (!widget->grab().save(path))
        qFatal("cannot write %s", qPrintable(path));
    std::printf("%s\n", qPrintable(path));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationVersion(QStringLiteral(PDESK_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Takes the user guide's screenshots from the real app."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("Where the PNG files go."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString outDir = parser.positionalArguments().first();
    QDir().mkpath(outDir);

    QTemporaryDir scratch;
    Pulsar::Settings settings(scratch.filePath(QStringLiteral("settings.ini")));
    settings.setValue(Pulsar::Settings::LocalServicePort, 0);
    settings.setValue(Pulsar::Settings::StatsRefreshSeconds, 1);
    Pulsar::ProfileStore profiles(&settings);
    Pulsar::MemorySecretStore secrets;
    Pulsar::LocalService local(&settings);
    local.setBinaryPath(QStringLiteral(PDESK_PROXY_BINARY));
    local.setDataDir(scratch.filePath(QStringLiteral("local")));
    profiles.setLocalService(&local);

    AppServices services;
    services.settings = &settings;
    services.profiles = &profiles;
    services.secrets = &secrets;
    services.localService = &local;
    MainWindow window(services);
    window.resize(1360, 860);
    window.show();

    window.connectToProfile(Pulsar::ProfileStore::localName());
    waitFor("the local service", [&] { return window.isConnected(); });

    // A producer with a few orders: JSON payloads, keys and properties.
    child<QLineEdit>(&window, "topicEdit")->setText(kTopic);
    child<QAction>(&window, "openProducerAction")->trigger();
    auto *producer = qobject_cast<ProducerPanel *>(window.panels().constLast());
    child<QPushButton>(producer, "connectButton")->click();
    waitFor("the producer", [&] { return !child<QPushButton>(producer, "connectButton")->isEnabled(); });
    choose(child<QComboBox>(producer, "payloadModeCombo"), QStringLiteral("JSON"));
    child<QPushButton>(producer, "addPropertyButton")->click();
    QAbstractItemModel *properties = child<QAbstractItemView>(producer, "propertiesView")->model();
    properties->setData(properties->index(0, 0), QStringLiteral("source"));
    properties->setData(properties->index(0, 1), QStringLiteral("web-shop"));
    const char *customers[] = {"ada", "grace", "linus", "margaret", "ken", "barbara"};
    for (int i = 0; i < 6; ++i) {
        child<QLineEdit>(producer, "keyEdit")->setText(QString::fromLatin1(customers[i]));
        child<QPlainTextEdit>(producer, "payloadEdit")
            ->setPlainText(QStringLiteral("{\"order\": %1, \"customer\": \"%2\", \"items\": [{\"sku\": \"PD-%3\", "
                                          "\"quantity\": %4}], \"total\": %5.90}")
                               .arg(1000 + i)
                               .arg(QString::fromLatin1(customers[i]))
                               .arg(100 + i * 7)
                               .arg(i % 3 + 1)
                               .arg(12 + i * 5));
        waitFor("the send button", [&] { return child<QPushButton>(producer, "sendButton")->isEnabled(); });
        child<QPushButton>(producer, "sendButton")->click();
        QTest::qWait(30);
    }
    QAbstractItemModel *results = child<QAbstractItemView>(producer, "resultsView")->model();
    waitFor("the acks", [&] {
        return results->rowCount() == 6 && cell(results, 5, SendResultModel::StatusColumn) ==
                                               SendResultModel::statusText(SendResultModel::Status::Ok);
    });

    // The topic in the browser, with its stats.
    auto *tree = child<QTreeView>(&window, "topicTree");
    QAbstractItemModel *topics = tree->model();
    waitFor("the tenants", [&] { return topics->rowCount() > 0; });
    const QModelIndex tenant =
        topics->match(topics->index(0, 0), Qt::DisplayRole, QStringLiteral("public"), 1, Qt::MatchExactly).value(0);
    tree->expand(tenant);
    waitFor("the namespaces", [&] { return topics->rowCount(tenant) > 0 && topics->index(0, 0, tenant).isValid(); });
    const QModelIndex ns =
        topics->match(topics->index(0, 0, tenant), Qt::DisplayRole, QStringLiteral("default"), 1, Qt::MatchContains)
            .value(0);
    tree->expand(ns);
    waitFor("the topics", [&] {
        return !topics->match(topics->index(0, 0, ns), Qt::DisplayRole, QStringLiteral("orders"), 1, Qt::MatchContains)
                    .isEmpty();
    });
    tree->setCurrentIndex(
        topics->match(topics->index(0, 0, ns), Qt::DisplayRole, QStringLiteral("orders"), 1, Qt::MatchContains)
            .value(0));
    waitFor("the topic's stats",
            [&] { return child<QLabel>(&window, "statsMsgInCounter")->text() == QLatin1String("6"); });
    save(&window, outDir, QStringLiteral("producer.png"));

    // A consumer from the earliest message: two acked, one selected in the inspector.
    child<QAction>(&window, "openConsumerAction")->trigger();
    auto *consumer = qobject_cast<ConsumerPanel *>(window.panels().constLast());
    child<QLineEdit>(consumer, "subscriptionEdit")->setText(QStringLiteral("billing"));
    choose(child<QComboBox>(consumer, "subscriptionTypeCombo"), QStringLiteral("Shared"));
    choose(child<QComboBox>(consumer, "initialPositionCombo"), QStringLiteral("Earliest"));
    child<QCheckBox>(consumer, "autoAckCheck")->setChecked(false);
    child<QPushButton>(consumer, "connectButton")->click();
    waitFor("the messages", [&] { return consumer->model()->rowCount() == 6; });
    consumer->ackRows({0, 1});
    auto *table = child<QAbstractItemView>(consumer, "messageTable");
    table->setCurrentIndex(table->model()->index(2, 0));
    waitFor("the stats", [&] {
        return child<QLabel>(&window, "statsMsgRateIn")->text() != QString() &&
               child<QAbstractItemView>(&window, "subscriptionsView")->model()->rowCount() > 0;
    });
    save(&window, outDir, QStringLiteral("main-window.png"));

    // A reader from the earliest message.
    child<QAction>(&window, "openReaderAction")->trigger();
    auto *reader = qobject_cast<ReaderPanel *>(window.panels().constLast());
    choose(child<QComboBox>(reader, "startPositionCombo"), QStringLiteral("Earliest"));
    child<QPushButton>(reader, "connectButton")->click();
    waitFor("the reader", [&] { return reader->model()->rowCount() == 6; });
    save(&window, outDir, QStringLiteral("reader.png"));

    // The connection profiles, on the Local profile.
    child<QAction>(&window, "manageProfilesAction")->trigger();
    auto *dialog = child<ProfileDialog>(&window, "profileDialog");
    dialog->resize(900, 600);
    waitFor("the profile dialog", [&] { return dialog->isVisible(); });
    save(dialog, outDir, QStringLiteral("profiles.png"));
    dialog->close();

    window.close();
    local.stop();
    if (!QTest::qWaitFor([&] { return local.state() == Pulsar::LocalService::State::Stopped; }, 15000))
        std::fprintf(stderr, "the local service did not stop in time\n");
    return 0;
}
