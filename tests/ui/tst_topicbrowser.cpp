// TopicBrowser against the bundled proxy in-process, driven by object name: the filter keeps matches and their
// parents; every context-menu action emits its signal with the right TopicName; Enter asks for a consumer; Copy
// name fills the clipboard; Create topic (through the dialog) and Delete topic (through the confirmation) reach
// the proxy and show in the tree; Refresh keeps the expansion and picks up a new topic; a refused delete shows
// Pulsar's reason in the status label and the log.
#include "browsertestsupport.h"

#include "dialogs/createtopicdialog.h"
#include "models/eventlog.h"
#include "models/topicfiltermodel.h"
#include "widgets/topicbrowser.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTreeView>
#include <QtTest>

using namespace BrowserTest;
using Gui::TopicBrowser;
using Gui::TopicTreeModel;
using NodeKind = Gui::TopicTreeModel::NodeKind;

namespace {

template<typename T>
T *child(QObject *parent, const char *name)
{
    T *object = parent->findChild<T *>(QString::fromLatin1(name));
    if (!object)
        qFatal("no child %s", name);
    return object;
}

} // namespace

class tst_TopicBrowser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void filterKeepsParentsOfMatches();
    void actionsEmitTopic_data();
    void actionsEmitTopic();
    void enterAsksForConsumer();
    void actionsFollowTheNode();
    void copyName_data();
    void copyName();
    void createTopic_data();
    void createTopic();
    void deleteTopic();
    void refusedDeleteShowsReason();
    void refreshKeepsExpansion();
    void filterModelUnderTester();

private:
    QTreeView *tree() const { return child<QTreeView>(m_browser.get(), "topicTree"); }
    // Makes the node with this name current in the view.
    QModelIndex select(const QString &name)
    {
        const QModelIndex source = m_browser->model()->indexForName(name);
        if (!source.isValid())
            qFatal("not loaded: %s", qPrintable(name));
        const QModelIndex shown = m_browser->filterModel()->mapFromSource(source);
        tree()->setCurrentIndex(shown);
        return shown;
    }
    void expand(const QString &name)
    {
        tree()->expand(m_browser->filterModel()->mapFromSource(m_browser->model()->indexForName(name)));
    }

    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
    std::unique_ptr<Pulsar::AdminClient> m_admin;
    Gui::EventLog m_log;
    std::unique_ptr<TopicBrowser> m_browser;
};

void tst_TopicBrowser::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
    m_admin = std::make_unique<Pulsar::AdminClient>(adminConnectionFor(*m_proxy));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/plain")))));
    QVERIFY(finish(m_admin->createPartitionedTopic(topic(QStringLiteral("persistent://public/default/parted")), 2)));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("non-persistent://public/default/np")))));

    m_browser = std::make_unique<TopicBrowser>(&m_log);
    QCOMPARE(m_browser->objectName(), QStringLiteral("topicBrowser"));
    m_browser->resize(500, 700);
    m_browser->show();
    m_browser->setAdminClient(m_admin.get());
    TopicTreeModel *model = m_browser->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForName(QStringLiteral("public")).isValid(), kWaitMs);
    expand(QStringLiteral("public"));
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForName(QStringLiteral("public/default")).isValid(), kWaitMs);
    expand(QStringLiteral("public/default"));
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForName(QStringLiteral("non-persistent://public/default/np")).isValid(),
                             kWaitMs);
    // Only what was opened was fetched.
    QVERIFY(model->canFetchMore(model->indexForName(QStringLiteral("public/functions"))));
}

void tst_TopicBrowser::cleanupTestCase()
{
    m_browser.reset();
    m_admin.reset();
    m_proxy.reset();
}

void tst_TopicBrowser::filterKeepsParentsOfMatches()
{
    QAbstractItemModel *shown = tree()->model();
    auto *filter = child<QLineEdit>(m_browser.get(), "topicFilter");
    filter->setText(QStringLiteral("PART"));
    const QModelIndex pub = shown->index(0, 0);
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(pub.data().toString(), QStringLiteral("public"));
    QCOMPARE(childNames(shown, pub), QStringList{QStringLiteral("default")});
    const QModelIndex ns = shown->index(0, 0, pub);
    QCOMPARE(childNames(shown, ns), QStringList{QStringLiteral("parted")});
    // A matching partitioned topic keeps its partitions.
    QCOMPARE(shown->rowCount(shown->index(0, 0, ns)), 2);
    // Nothing was fetched to filter.
    QVERIFY(m_browser->model()->canFetchMore(m_browser->model()->indexForName(QStringLiteral("public/functions"))));

    filter->setText(QStringLiteral("non-persistent://"));
    QCOMPARE(childNames(shown, shown->index(0, 0, shown->index(0, 0))), QStringList{QStringLiteral("np")});
    filter->setText(QStringLiteral("no-such-topic"));
    QCOMPARE(shown->rowCount(), 0);

    filter->clear();
    QVERIFY(shown->rowCount() >= 1);
    QCOMPARE(childNames(shown, m_browser->filterModel()->mapFromSource(
                                   m_browser->model()->indexForName(QStringLiteral("public/default")))),
             (QStringList{QStringLiteral("parted"), QStringLiteral("plain"), QStringLiteral("np")}));
}

void tst_TopicBrowser::actionsEmitTopic_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("topic");
    const QStringList topics{QStringLiteral("persistent://public/default/plain"),
                             QStringLiteral("persistent://public/default/parted"),
                             QStringLiteral("persistent://public/default/parted-partition-1"),
                             QStringLiteral("non-persistent://public/default/np")};
    for (const char *action : {"produceAction", "consumeAction", "readAction"}) {
        for (const QString &topic : topics)
            QTest::addRow("%s %s", action, qPrintable(topic)) << QString::fromLatin1(action) << topic;
    }
}

void tst_TopicBrowser::actionsEmitTopic()
{
    QFETCH(QString, action);
    QFETCH(QString, topic);
    expand(QStringLiteral("persistent://public/default/parted"));
    QSignalSpy produce(m_browser.get(), &TopicBrowser::produceRequested);
    QSignalSpy consume(m_browser.get(), &TopicBrowser::consumeRequested);
    QSignalSpy read(m_browser.get(), &TopicBrowser::readRequested);
    QSignalSpy selected(m_browser.get(), &TopicBrowser::topicSelected);
    tree()->clearSelection();
    tree()->setCurrentIndex(QModelIndex());
    select(topic);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().first().value<Pulsar::TopicName>().toString(), topic);
    QCOMPARE(m_browser->selectedTopic()->toString(), topic);

    auto *qaction = m_browser->findChild<QAction *>(action);
    QVERIFY(qaction);
    QVERIFY(qaction->isEnabled());
    qaction->trigger();
    QSignalSpy &expected = action == QLatin1String("produceAction")   ? produce
                           : action == QLatin1String("consumeAction") ? consume
                                                                      : read;
    QCOMPARE(produce.count() + consume.count() + read.count(), 1);
    QCOMPARE(expected.count(), 1);
    QCOMPARE(expected.first().first().value<Pulsar::TopicName>().toString(), topic);
}

void tst_TopicBrowser::enterAsksForConsumer()
{
    QSignalSpy consume(m_browser.get(), &TopicBrowser::consumeRequested);
    select(QStringLiteral("persistent://public/default/plain"));
    tree()->setFocus();
    QTest::keyClick(tree(), Qt::Key_Return);
    QCOMPARE(consume.count(), 1);
    QCOMPARE(consume.first().first().value<Pulsar::TopicName>().toString(),
             QStringLiteral("persistent://public/default/plain"));
    // On a namespace, Enter asks for nothing.
    select(QStringLiteral("public/default"));
    QTest::keyClick(tree(), Qt::Key_Return);
    QCOMPARE(consume.count(), 1);
}

void tst_TopicBrowser::actionsFollowTheNode()
{
    const auto enabled = [this](const char *name) { return child<QAction>(m_browser.get(), name)->isEnabled(); };
    select(QStringLiteral("public/default"));
    QVERIFY(!m_browser->selectedTopic());
    QVERIFY(!enabled("produceAction"));
    QVERIFY(!enabled("consumeAction"));
    QVERIFY(!enabled("readAction"));
    QVERIFY(!enabled("deleteTopicAction"));
    QVERIFY(enabled("createTopicAction"));
    QVERIFY(enabled("copyTopicNameAction"));
    QVERIFY(enabled("refreshAction"));
    select(QStringLiteral("persistent://public/default/parted-partition-0"));
    QVERIFY(enabled("produceAction"));
    QVERIFY(!enabled("deleteTopicAction"));
    select(QStringLiteral("persistent://public/default/plain"));
    QVERIFY(enabled("deleteTopicAction"));
    select(QStringLiteral("public"));
    QVERIFY(!enabled("createTopicAction"));
}

void tst_TopicBrowser::copyName_data()
{
    QTest::addColumn<QString>("node");
    QTest::addRow("tenant") << QStringLiteral("public");
    QTest::addRow("namespace") << QStringLiteral("public/default");
    QTest::addRow("topic") << QStringLiteral("persistent://public/default/plain");
    QTest::addRow("partition") << QStringLiteral("persistent://public/default/parted-partition-1");
    QTest::addRow("non-persistent") << QStringLiteral("non-persistent://public/default/np");
}

void tst_TopicBrowser::copyName()
{
    QFETCH(QString, node);
    expand(QStringLiteral("persistent://public/default/parted"));
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
    select(node);
    child<QAction>(m_browser.get(), "copyTopicNameAction")->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), node);
}

void tst_TopicBrowser::createTopic_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("persistent");
    QTest::addColumn<int>("partitions");
    QTest::addColumn<QString>("fullName");
    QTest::addColumn<int>("kind");
    QTest::addRow("persistent") << QStringLiteral("made") << true << 0
                                << QStringLiteral("persistent://public/default/made") << int(NodeKind::Topic);
    QTest::addRow("partitioned") << QStringLiteral("made-parts") << true << 3
                                 << QStringLiteral("persistent://public/default/made-parts")
                                 << int(NodeKind::PartitionedTopic);
    QTest::addRow("non-persistent") << QStringLiteral("made-np") << false << 0
                                    << QStringLiteral("non-persistent://public/default/made-np")
                                    << int(NodeKind::Topic);
}

void tst_TopicBrowser::createTopic()
{
    QFETCH(QString, name);
    QFETCH(bool, persistent);
    QFETCH(int, partitions);
    QFETCH(QString, fullName);
    QFETCH(int, kind);
    // From a topic row, the dialog is for the topic's namespace.
    select(QStringLiteral("persistent://public/default/plain"));
    child<QAction>(m_browser.get(), "createTopicAction")->trigger();
    auto *dialog = m_browser->findChild<Gui::CreateTopicDialog *>(QStringLiteral("createTopicDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowModality(), Qt::WindowModal); // open(), not exec()
    QCOMPARE(dialog->namespaceName().toString(), QStringLiteral("public/default"));
    QPushButton *ok = child<QDialogButtonBox>(dialog, "createTopicButtons")->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    auto *nameEdit = child<QLineEdit>(dialog, "topicNameEdit");
    nameEdit->setText(QStringLiteral("bad name/with slash"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(!child<QLabel>(dialog, "createTopicError")->text().isEmpty());
    nameEdit->setText(name);
    auto *domain = child<QComboBox>(dialog, "topicDomainCombo");
    domain->setCurrentIndex(persistent ? 0 : 1);
    child<QSpinBox>(dialog, "partitionsSpin")->setValue(partitions);
    QVERIFY(ok->isEnabled());
    ok->click();

    TopicTreeModel *model = m_browser->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForName(fullName).isValid(), kWaitMs);
    const QModelIndex created = model->indexForName(fullName);
    QCOMPARE(int(kindOf(created)), kind);
    if (partitions > 0)
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(model->indexForName(fullName)), partitions, kWaitMs);
    QVERIFY(child<QLabel>(m_browser.get(), "topicStatus")->text().contains(fullName));

    // The proxy has it.
    bool listed = false;
    QObject context;
    m_admin->namespaceTopics(*Pulsar::NamespaceName::parse(QStringLiteral("public/default")))
        ->then(&context, [&](const QStringList &topics) {
            listed =
                topics.contains(partitions > 0 ? fullName + QStringLiteral("-partition-0") : fullName) || !persistent;
        });
    QTRY_VERIFY_WITH_TIMEOUT(listed, kWaitMs);
}

void tst_TopicBrowser::deleteTopic()
{
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/doomed")))));
    m_browser->refresh();
    TopicTreeModel *model = m_browser->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->indexForName(QStringLiteral("persistent://public/default/doomed")).isValid(),
                             kWaitMs);
    select(QStringLiteral("persistent://public/default/doomed"));

    // Cancel leaves it.
    child<QAction>(m_browser.get(), "deleteTopicAction")->trigger();
    auto *box = m_browser->findChild<QMessageBox *>(QStringLiteral("deleteTopicConfirmation"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->text().contains(QLatin1String("persistent://public/default/doomed")));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!m_browser->findChild<QMessageBox *>(QStringLiteral("deleteTopicConfirmation")));
    QVERIFY(model->indexForName(QStringLiteral("persistent://public/default/doomed")).isValid());

    child<QAction>(m_browser.get(), "deleteTopicAction")->trigger();
    box = m_browser->findChild<QMessageBox *>(QStringLiteral("deleteTopicConfirmation"));
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexForName(QStringLiteral("persistent://public/default/doomed")).isValid(),
                             kWaitMs);
    bool gone = false;
    QObject context;
    m_admin->persistentTopics(*Pulsar::NamespaceName::parse(QStringLiteral("public/default")))
        ->then(&context, [&](const QStringList &topics) {
            gone = !topics.contains(QStringLiteral("persistent://public/default/doomed"));
        });
    QTRY_VERIFY_WITH_TIMEOUT(gone, kWaitMs);
}

void tst_TopicBrowser::refusedDeleteShowsReason()
{
    // A connected producer makes Pulsar refuse a delete without force (412).
    TestSupport::WsClient producer(m_proxy->url(QStringLiteral("/ws/v2/producer/persistent/public/default/plain")));
    QVERIFY(producer.waitConnected());
    select(QStringLiteral("persistent://public/default/plain"));
    m_log.clear();
    child<QAction>(m_browser.get(), "deleteTopicAction")->trigger();
    auto *box = m_browser->findChild<QMessageBox *>(QStringLiteral("deleteTopicConfirmation"));
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    auto *status = child<QLabel>(m_browser.get(), "topicStatus");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Could not delete")), kWaitMs);
    m_log.flush();
    QVERIFY(m_log.rowCount() >= 1);
    const Gui::EventLog::Entry &entry = m_log.entry(m_log.rowCount() - 1);
    QCOMPARE(entry.level, Gui::EventLog::Level::Error);
    QVERIFY(entry.text.contains(QLatin1String("persistent://public/default/plain")));
    QVERIFY(m_browser->model()->indexForName(QStringLiteral("persistent://public/default/plain")).isValid());
}

void tst_TopicBrowser::refreshKeepsExpansion()
{
    expand(QStringLiteral("persistent://public/default/parted"));
    const QPersistentModelIndex ns =
        m_browser->filterModel()->mapFromSource(m_browser->model()->indexForName(QStringLiteral("public/default")));
    QVERIFY(tree()->isExpanded(ns));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/fresh")))));
    child<QPushButton>(m_browser.get(), "refreshTopicsButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_browser->model()->indexForName(QStringLiteral("persistent://public/default/fresh")).isValid(), kWaitMs);
    QTRY_VERIFY(!m_browser->model()->isLoading());
    QVERIFY(ns.isValid());
    QVERIFY(tree()->isExpanded(ns));
    QVERIFY(tree()->isExpanded(m_browser->filterModel()->mapFromSource(
        m_browser->model()->indexForName(QStringLiteral("persistent://public/default/parted")))));
    QVERIFY(tree()->isExpanded(
        m_browser->filterModel()->mapFromSource(m_browser->model()->indexForName(QStringLiteral("public")))));
    // The context menu's Refresh does the same.
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/fresher")))));
    child<QAction>(m_browser.get(), "refreshAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_browser->model()->indexForName(QStringLiteral("persistent://public/default/fresher")).isValid(), kWaitMs);
    QVERIFY(tree()->isExpanded(ns));
}

void tst_TopicBrowser::filterModelUnderTester()
{
    // A browser of its own: the tester walks (and so fetches) the whole tree through the filter.
    TopicBrowser browser(&m_log);
    QAbstractItemModelTester tester(browser.filterModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    browser.setAdminClient(m_admin.get());
    QTRY_VERIFY_WITH_TIMEOUT(
        browser.model()->indexForName(QStringLiteral("persistent://public/default/parted")).isValid(), kWaitMs);
    auto *filter = child<QLineEdit>(&browser, "topicFilter");
    filter->setText(QStringLiteral("parted"));
    QCOMPARE(browser.filterModel()->rowCount(), 1);
    QVERIFY(
        finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/parted-too")))));
    browser.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(
        browser.model()->indexForName(QStringLiteral("persistent://public/default/parted-too")).isValid(), kWaitMs);
    QTRY_VERIFY(!browser.model()->isLoading());
    filter->clear();
    browser.setAdminClient(nullptr);
    QCOMPARE(browser.filterModel()->rowCount(), 0);
}

QTEST_MAIN(tst_TopicBrowser)
#include "tst_topicbrowser.moc"
