// The real main window, driven by object name as a user drives it, against the real bundled service started as the
// app starts it (a child process on a scratch data directory): create a profile, connect, publish with properties,
// consume and ack, nack and see the redelivery, read from earliest, inspect a message, tear a panel off, and get the
// same panels back in a new window.
#include "mainwindow/language.h"
#include "mainwindow/mainwindow.h"

#include "dialogs/profiledialog.h"
#include "models/eventlog.h"
#include "models/messagetablemodel.h"
#include "models/sendresultmodel.h"
#include "widgets/consumerpanel.h"
#include "widgets/producerpanel.h"
#include "widgets/readerpanel.h"
#include "widgets/topicbrowser.h"

#include "local/localservice.h"
#include "secrets/secretstore.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include "deskdriver.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTranslator>
#include <QTreeView>

#include <memory>

using namespace Gui;
using TestSupport::cell;
using TestSupport::child;
using TestSupport::choose;

namespace {

constexpr int kNetworkTimeoutMs = 20000;
const QString kTopic = QStringLiteral("persistent://public/default/desk-e2e");

} // namespace

class tst_MainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void startsWithLocalProfileAndService();
    void createProfileAndConnect();
    void browserShowsTheDefaultNamespace();
    void publishWithProperties();
    void consumeAndAck();
    void nackShowsTheRedelivery();
    void readFromEarliest();
    void inspectMessage();
    void panelTearsOffAndComesBack();
    void sessionRestoresPanels();
    void languageSwitch();

private:
    std::unique_ptr<MainWindow> makeWindow();
    ProducerPanel *producer() const;
    ConsumerPanel *consumer() const;

    QTemporaryDir m_dir;
    std::unique_ptr<Pulsar::Settings> m_settings;
    std::unique_ptr<Pulsar::ProfileStore> m_profiles;
    std::unique_ptr<Pulsar::MemorySecretStore> m_secrets;
    std::unique_ptr<Pulsar::LocalService> m_local;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<MainWindow> tst_MainWindow::makeWindow()
{
    AppServices services;
    services.settings = m_settings.get();
    services.profiles = m_profiles.get();
    services.secrets = m_secrets.get();
    services.localService = m_local.get();
    auto window = std::make_unique<MainWindow>(services);
    window->show();
    return window;
}

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = std::make_unique<Pulsar::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
    m_profiles = std::make_unique<Pulsar::ProfileStore>(m_settings.get());
    m_secrets = std::make_unique<Pulsar::MemorySecretStore>();
    m_local = std::make_unique<Pulsar::LocalService>(m_settings.get());
    m_local->setBinaryPath(QStringLiteral(PDESK_PROXY_BINARY));
    m_local->setDataDir(m_dir.filePath(QStringLiteral("local")));
    m_settings->setValue(Pulsar::Settings::LocalServicePort, 0);
    m_profiles->setLocalService(m_local.get());
    m_window = makeWindow();
}

void tst_MainWindow::cleanupTestCase()
{
    m_window.reset();
    m_local->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_local->state(), Pulsar::LocalService::State::Stopped, 15000);
}

ProducerPanel *tst_MainWindow::producer() const
{
    for (Panel *panel : m_window->panels()) {
        if (auto *found = qobject_cast<ProducerPanel *>(panel))
            return found;
    }
    qFatal("no producer panel");
}

ConsumerPanel *tst_MainWindow::consumer() const
{
    for (Panel *panel : m_window->panels()) {
        if (auto *found = qobject_cast<ConsumerPanel *>(panel))
            return found;
    }
    qFatal("no consumer panel");
}

void tst_MainWindow::startsWithLocalProfileAndService()
{
    auto *profiles = child<QComboBox>(m_window.get(), "profileCombo");
    QCOMPARE(profiles->itemText(0), Pulsar::ProfileStore::localName());
    m_window->connectToProfile(Pulsar::ProfileStore::localName());
    QTRY_COMPARE_WITH_TIMEOUT(m_local->state(), Pulsar::LocalService::State::Running, kNetworkTimeoutMs);
    QTRY_VERIFY(m_window->isConnected());
    QCOMPARE(m_window->activeProfile().name, Pulsar::ProfileStore::localName());
    QVERIFY(child<QLabel>(m_window.get(), "localServiceLabel")->text().contains(m_local->url().toString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLabel>(m_window.get(), "connectionLabel")->text().startsWith(QLatin1String("Connected")),
        kNetworkTimeoutMs);
}

void tst_MainWindow::createProfileAndConnect()
{
    child<QAction>(m_window.get(), "manageProfilesAction")->trigger();
    auto *dialog = child<ProfileDialog>(m_window.get(), "profileDialog");
    QTRY_VERIFY(dialog->isVisible());
    child<QPushButton>(dialog, "profileNew")->click();
    QTest::keyClicks(child<QLineEdit>(dialog, "profileName"), QStringLiteral("Laptop"));
    QTest::keyClicks(child<QLineEdit>(dialog, "profileServiceUrl"), m_local->url().toString());
    child<QPushButton>(dialog, "profileSave")->click();
    QVERIFY(m_profiles->contains(QStringLiteral("Laptop")));
    QVERIFY(child<QComboBox>(m_window.get(), "profileCombo")->findText(QStringLiteral("Laptop")) >= 0);

    child<QPushButton>(dialog, "profileConnect")->click();
    QTRY_COMPARE(m_window->activeProfile().name, QStringLiteral("Laptop"));
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(m_window.get(), "connectionLabel")->text().contains(QLatin1String("Laptop")),
                             kNetworkTimeoutMs);
    QVERIFY(!child<QLabel>(m_window.get(), "connectionLabel")->text().contains(QLatin1String("did not answer")));
    dialog->close();
}

void tst_MainWindow::browserShowsTheDefaultNamespace()
{
    auto *tree = child<QTreeView>(m_window.get(), "topicTree");
    QAbstractItemModel *model = tree->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, kNetworkTimeoutMs);
    const QModelIndexList tenants =
        model->match(model->index(0, 0), Qt::DisplayRole, QStringLiteral("public"), 1, Qt::MatchExactly);
    QCOMPARE(tenants.size(), 1);
    tree->expand(tenants.first());
    QTRY_VERIFY_WITH_TIMEOUT(!model
                                  ->match(model->index(0, 0, tenants.first()), Qt::DisplayRole,
                                          QStringLiteral("default"), 1, Qt::MatchContains)
                                  .isEmpty(),
                             kNetworkTimeoutMs);
}

void tst_MainWindow::publishWithProperties()
{
    child<QLineEdit>(m_window.get(), "topicEdit")->setText(kTopic);
    child<QAction>(m_window.get(), "openProducerAction")->trigger();
    ProducerPanel *panel = producer();
    QCOMPARE(child<QTabWidget>(m_window.get(), "panelTabs")->currentWidget(), panel);
    QCOMPARE(panel->topic().toString(), kTopic);

    child<QPushButton>(panel, "connectButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel->session() && !child<QPushButton>(panel, "connectButton")->isEnabled(),
                             kNetworkTimeoutMs);
    child<QPlainTextEdit>(panel, "payloadEdit")->setPlainText(QStringLiteral("hello from the desk"));
    child<QLineEdit>(panel, "keyEdit")->setText(QStringLiteral("order-1"));
    child<QPushButton>(panel, "addPropertyButton")->click();
    QAbstractItemModel *properties = child<QAbstractItemView>(panel, "propertiesView")->model();
    QCOMPARE(properties->rowCount(), 1);
    QVERIFY(properties->setData(properties->index(0, 0), QStringLiteral("colour")));
    QVERIFY(properties->setData(properties->index(0, 1), QStringLiteral("blue")));

    // Send is enabled once the producer is connected and the message is valid.
    QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(panel, "sendButton")->isEnabled(), kNetworkTimeoutMs);
    child<QPushButton>(panel, "sendButton")->click();
    QAbstractItemModel *results = child<QAbstractItemView>(panel, "resultsView")->model();
    QTRY_COMPARE_WITH_TIMEOUT(results->rowCount(), 1, kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(cell(results, 0, SendResultModel::StatusColumn),
                              SendResultModel::statusText(SendResultModel::Status::Ok), kNetworkTimeoutMs);
    // The decoded id, ledger:entry:partition:batch.
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+:\\d+(:-?\\d+)*$"))
                .match(cell(results, 0, SendResultModel::MessageIdColumn))
                .hasMatch());
}

void tst_MainWindow::consumeAndAck()
{
    child<QAction>(m_window.get(), "openConsumerAction")->trigger();
    ConsumerPanel *panel = consumer();
    child<QLineEdit>(panel, "subscriptionEdit")->setText(QStringLiteral("desk"));
    choose(child<QComboBox>(panel, "initialPositionCombo"), QStringLiteral("Earliest"));
    child<QCheckBox>(panel, "autoAckCheck")->setChecked(false);
    child<QSpinBox>(panel, "negativeAckDelaySpin")->setValue(200); // Pulsar's default is a minute
    child<QPushButton>(panel, "connectButton")->click();

    MessageTableModel *model = panel->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kNetworkTimeoutMs);
    QCOMPARE(cell(model, 0, MessageTableModel::KeyColumn), QStringLiteral("order-1"));
    QVERIFY(cell(model, 0, MessageTableModel::PropertiesColumn).contains(QLatin1String("colour")));
    QVERIFY(cell(model, 0, MessageTableModel::PayloadColumn).contains(QLatin1String("hello from the desk")));

    auto *table = child<QAbstractItemView>(panel, "messageTable");
    table->setCurrentIndex(table->model()->index(0, 0));
    child<QPushButton>(panel, "ackButton")->click();
    QTRY_VERIFY(
        cell(model, 0, MessageTableModel::AckStateColumn).contains(QLatin1String("Acked"), Qt::CaseInsensitive));
    QTRY_VERIFY(child<QLabel>(panel, "ackedCountLabel")->text().contains(QLatin1Char('1')));
}

void tst_MainWindow::nackShowsTheRedelivery()
{
    ProducerPanel *sender = producer();
    child<QPlainTextEdit>(sender, "payloadEdit")->setPlainText(QStringLiteral("second"));
    child<QPushButton>(sender, "sendButton")->click();

    ConsumerPanel *panel = consumer();
    MessageTableModel *model = panel->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, kNetworkTimeoutMs);
    auto *table = child<QAbstractItemView>(panel, "messageTable");
    table->setCurrentIndex(table->model()->index(1, 0));
    child<QPushButton>(panel, "nackButton")->click();
    // The message comes back (after the 200 ms delay set in the form) as a new row with its redelivery count.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kNetworkTimeoutMs);
    QVERIFY(cell(model, 2, MessageTableModel::PayloadColumn).contains(QLatin1String("second")));
    QVERIFY(cell(model, 2, MessageTableModel::RedeliveryColumn).toInt() >= 1);
}

void tst_MainWindow::readFromEarliest()
{
    child<QAction>(m_window.get(), "openReaderAction")->trigger();
    ReaderPanel *panel = nullptr;
    for (Panel *candidate : m_window->panels()) {
        if ((panel = qobject_cast<ReaderPanel *>(candidate)))
            break;
    }
    QVERIFY(panel);
    choose(child<QComboBox>(panel, "startPositionCombo"), QStringLiteral("Earliest"));
    child<QPushButton>(panel, "connectButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, kNetworkTimeoutMs);
    QVERIFY(cell(panel->model(), 0, MessageTableModel::PayloadColumn).contains(QLatin1String("hello from the desk")));
    QVERIFY(cell(panel->model(), 1, MessageTableModel::PayloadColumn).contains(QLatin1String("second")));
}

void tst_MainWindow::inspectMessage()
{
    ConsumerPanel *panel = consumer();
    child<QTabWidget>(m_window.get(), "panelTabs")->setCurrentWidget(panel);
    auto *table = child<QAbstractItemView>(panel, "messageTable");
    table->setCurrentIndex(table->model()->index(0, 0));
    QWidget *inspector = child<QWidget>(panel, "messageInspector");
    QTRY_VERIFY(child<QPlainTextEdit>(inspector, "payloadTextView")->toPlainText() ==
                QStringLiteral("hello from the desk"));
    QVERIFY(
        child<QPlainTextEdit>(inspector, "payloadHexView")->toPlainText().contains(QLatin1String("68 65 6c 6c 6f")));
    QAbstractItemModel *properties = child<QAbstractItemView>(inspector, "propertiesView")->model();
    QCOMPARE(properties->rowCount(), 1);
    QCOMPARE(cell(properties, 0, 0), QStringLiteral("colour"));
    QCOMPARE(cell(properties, 0, 1), QStringLiteral("blue"));
}

void tst_MainWindow::panelTearsOffAndComesBack()
{
    ProducerPanel *panel = producer();
    auto *tabs = child<QTabWidget>(m_window.get(), "panelTabs");
    const int before = tabs->count();
    m_window->detachPanel(panel);
    QCOMPARE(tabs->count(), before - 1);
    QTRY_VERIFY(panel->window() != m_window.get() && panel->window()->isVisible());
    QVERIFY(m_window->panels().contains(panel)); // still the window's panel, in its own window
    m_window->attachPanel(panel);
    QCOMPARE(tabs->count(), before);
    QCOMPARE(panel->window(), m_window.get());
    m_window->detachPanel(panel); // saved detached, for the next test
}

void tst_MainWindow::sessionRestoresPanels()
{
    const int panels = m_window->panels().size();
    QCOMPARE(panels, 3);
    m_window->close(); // saves the session, closes the sessions
    const QJsonArray saved =
        QJsonDocument::fromJson(m_settings->value(Pulsar::Settings::OpenPanels).toByteArray()).array();
    QCOMPARE(saved.size(), panels);
    QVERIFY(!m_settings->value(Pulsar::Settings::WindowState).toByteArray().isEmpty());
    m_window.reset();

    m_window = makeWindow();
    QCOMPARE(m_window->panels().size(), 0); // panels come back with their connection
    m_window->connectToProfile(QStringLiteral("Laptop"));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->panels().size(), panels, kNetworkTimeoutMs);
    ConsumerPanel *restored = consumer();
    QCOMPARE(restored->topic().toString(), kTopic);
    QCOMPARE(child<QLineEdit>(restored, "subscriptionEdit")->text(), QStringLiteral("desk"));
    QVERIFY(producer()->window() != m_window.get()); // it was torn off
}

void tst_MainWindow::languageSwitch()
{
    // The Language setting is read at start-up (main() installs it before the window exists), so a new window after
    // installing German shows German; the app's own text and Qt's come from :/i18n.
    QCOMPARE(m_window->menuBar()->actions().first()->text(), QStringLiteral("&File"));
    const QString used = Language::install(qApp, QStringLiteral("de"));
    QCOMPARE(used, QStringLiteral("de"));
    m_window.reset();
    m_window = makeWindow();
    QCOMPARE(m_window->menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    QCOMPARE(child<QLabel>(m_window.get(), "connectionLabel")->text(), QStringLiteral("Nicht verbunden"));
    const QList<Language::Choice> choices = Language::available();
    QVERIFY(std::any_of(choices.begin(), choices.end(),
                        [](const Language::Choice &c) { return c.code == QLatin1String("zh_CN"); }));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
