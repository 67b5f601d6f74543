// TopicTreeModel against the bundled proxy in-process: tenants load when a client is set, namespaces and topics only
// on fetchMore (with a "Loading…" row meanwhile); a partitioned topic shows its partitions and a non-persistent
// topic is marked; refresh() merges (persistent indexes survive), picks up new topics and unloads what the
// predicate rejects; fetch errors show as an error row and through fetchFailed. QAbstractItemModelTester (Fatal)
// watches the model while it loads the whole tree. v1 namespaces ("sample/standalone/ns1", made on first start as
// Pulsar standalone makes it) list their topics like v2 ones.
#include "browsertestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace BrowserTest;
using Gui::TopicTreeModel;
using NodeKind = Gui::TopicTreeModel::NodeKind;

class tst_TopicTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void loadsLazily();
    void wholeTreeUnderTester();
    void refreshMergesAndUnloads();
    void fetchErrorShowsAsRow();
    void v1NamespaceListsItsTopics();
    void unreachableClusterReportsTenants();

private:
    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
    std::unique_ptr<Pulsar::AdminClient> m_admin;
};

void tst_TopicTreeModel::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
    m_admin = std::make_unique<Pulsar::AdminClient>(adminConnectionFor(*m_proxy));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/plain")))));
    QVERIFY(finish(m_admin->createPartitionedTopic(topic(QStringLiteral("persistent://public/default/parted")), 3)));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("non-persistent://public/default/np")))));
}

void tst_TopicTreeModel::cleanupTestCase()
{
    m_admin.reset();
    m_proxy.reset();
}

void tst_TopicTreeModel::loadsLazily()
{
    TopicTreeModel model;
    QSignalSpy loading(&model, &TopicTreeModel::loadingChanged);
    model.setAdminClient(m_admin.get());
    QVERIFY(model.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(loading.count() >= 2);

    const QModelIndex pub = model.indexForName(QStringLiteral("public"));
    QVERIFY(pub.isValid());
    QCOMPARE(kindOf(pub), NodeKind::Tenant);
    // Nothing below a tenant until the view asks.
    QCOMPARE(model.rowCount(pub), 0);
    QVERIFY(model.hasChildren(pub));
    QVERIFY(model.canFetchMore(pub));

    // The placeholder shows on the next turn of the event loop, before the answer. What the first insertion under the
    // tenant put there is recorded when it happens: on a busy machine the answer can follow within the same wait.
    QList<QPair<NodeKind, QString>> firstInserted;
    connect(&model, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &parent, int first, int last) {
        if (parent != pub || !firstInserted.isEmpty())
            return;
        for (int row = first; row <= last; ++row)
            firstInserted.append({kindOf(model.index(row, 0, pub)), model.index(row, 0, pub).data().toString()});
    });
    model.fetchMore(pub);
    QVERIFY(!model.canFetchMore(pub));
    QVERIFY(model.isLoading());
    QTRY_VERIFY(!firstInserted.isEmpty());
    QCOMPARE(firstInserted.size(), 1);
    QCOMPARE(firstInserted.first().first, NodeKind::Loading);
    QCOMPARE(firstInserted.first().second, QStringLiteral("Loading…"));
    QTRY_COMPARE_WITH_TIMEOUT(childNames(&model, pub),
                              (QStringList{QStringLiteral("default"), QStringLiteral("functions")}), kWaitMs);
    const QModelIndex ns = model.indexForName(QStringLiteral("public/default"));
    QCOMPARE(kindOf(ns), NodeKind::Namespace);
    QCOMPARE(ns.data(TopicTreeModel::NamespaceNameRole).toString(), QStringLiteral("public/default"));
    QCOMPARE(model.rowCount(ns), 0);
    QVERIFY(model.canFetchMore(ns));

    model.fetchMore(ns);
    // Persistent topics first, then by name; the non-persistent one last.
    QTRY_COMPARE_WITH_TIMEOUT(childNames(&model, ns),
                              (QStringList{QStringLiteral("parted"), QStringLiteral("plain"), QStringLiteral("np")}),
                              kWaitMs);
    const QModelIndex parted = model.indexForName(QStringLiteral("persistent://public/default/parted"));
    QCOMPARE(kindOf(parted), NodeKind::PartitionedTopic);
    QCOMPARE(childNames(&model, parted),
             (QStringList{QStringLiteral("parted-partition-0"), QStringLiteral("parted-partition-1"),
                          QStringLiteral("parted-partition-2")}));
    const QModelIndex partition = model.index(1, 0, parted);
    QCOMPARE(kindOf(partition), NodeKind::Partition);
    QCOMPARE(partition.data(TopicTreeModel::TopicNameRole).toString(),
             QStringLiteral("persistent://public/default/parted-partition-1"));

    const QModelIndex plain = model.indexForName(QStringLiteral("persistent://public/default/plain"));
    QCOMPARE(kindOf(plain), NodeKind::Topic);
    QCOMPARE(plain.data(TopicTreeModel::PersistentRole).toBool(), true);
    QCOMPARE(plain.siblingAtColumn(TopicTreeModel::TypeColumn).data().toString(), QStringLiteral("Persistent"));
    QVERIFY(!model.hasChildren(plain));

    const QModelIndex np = model.indexForName(QStringLiteral("non-persistent://public/default/np"));
    QVERIFY(np.isValid());
    QCOMPARE(kindOf(np), NodeKind::Topic);
    QCOMPARE(np.data(TopicTreeModel::PersistentRole).toBool(), false);
    QCOMPARE(np.siblingAtColumn(TopicTreeModel::TypeColumn).data().toString(), QStringLiteral("Non-persistent"));
    QVERIFY(np.data(Qt::ToolTipRole).toString().contains(QLatin1String("non-persistent://public/default/np")));
    QVERIFY(np.data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(!plain.data(Qt::FontRole).value<QFont>().italic());

    // "functions" was never opened, so it was never fetched.
    QVERIFY(model.canFetchMore(model.indexForName(QStringLiteral("public/functions"))));
}

void tst_TopicTreeModel::wholeTreeUnderTester()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setAdminClient(m_admin.get());
    // The tester walks (and so fetches) every node.
    QTRY_VERIFY_WITH_TIMEOUT(
        model.indexForName(QStringLiteral("persistent://public/default/parted-partition-2")).isValid(), kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(model.indexForName(QStringLiteral("non-persistent://public/default/np")).isValid());

    const QPersistentModelIndex ns = model.indexForName(QStringLiteral("public/default"));
    const QPersistentModelIndex plain = model.indexForName(QStringLiteral("persistent://public/default/plain"));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/added")))));
    QVERIFY(
        finish(m_admin->createPartitionedTopic(topic(QStringLiteral("persistent://public/default/added-parts")), 2)));
    model.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("persistent://public/default/added")).isValid(),
                             kWaitMs);
    QTRY_VERIFY(model.indexForName(QStringLiteral("persistent://public/default/added-parts-partition-1")).isValid());
    // Merged, not reset: the old rows are the same rows.
    QVERIFY(ns.isValid());
    QVERIFY(plain.isValid());
    QCOMPARE(plain.data(TopicTreeModel::TopicNameRole).toString(), QStringLiteral("persistent://public/default/plain"));

    QVERIFY(finish(m_admin->deleteTopic(topic(QStringLiteral("persistent://public/default/added")))));
    QVERIFY(finish(m_admin->deletePartitionedTopic(topic(QStringLiteral("persistent://public/default/added-parts")))));
    model.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!model.indexForName(QStringLiteral("persistent://public/default/added")).isValid(),
                             kWaitMs);
    QTRY_VERIFY(!model.indexForName(QStringLiteral("persistent://public/default/added-parts")).isValid());
    QVERIFY(plain.isValid());
}

void tst_TopicTreeModel::refreshMergesAndUnloads()
{
    TopicTreeModel model;
    model.setAdminClient(m_admin.get());
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("public")).isValid(), kWaitMs);
    model.fetchMore(model.indexForName(QStringLiteral("public")));
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("public/functions")).isValid(), kWaitMs);
    model.fetchMore(model.indexForName(QStringLiteral("public/default")));
    model.fetchMore(model.indexForName(QStringLiteral("public/functions")));
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("persistent://public/default/plain")).isValid(),
                             kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(model.indexForName(QStringLiteral("public/functions"))), 0);
    QVERIFY(!model.canFetchMore(model.indexForName(QStringLiteral("public/functions"))));

    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/default/later")))));
    QVERIFY(finish(m_admin->createNonPartitionedTopic(topic(QStringLiteral("persistent://public/functions/fn")))));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    // Keep "default" (as if expanded), drop "functions" (as if collapsed).
    model.refresh([](const QModelIndex &index) {
        return index.data(TopicTreeModel::NamespaceNameRole).toString() != QLatin1String("public/functions");
    });
    const QModelIndex functions = model.indexForName(QStringLiteral("public/functions"));
    QVERIFY(model.canFetchMore(functions));
    QCOMPARE(model.rowCount(functions), 0);
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("persistent://public/default/later")).isValid(),
                             kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(!model.indexForName(QStringLiteral("persistent://public/functions/fn")).isValid());
    QCOMPARE(resets.count(), 0);
    // Opening it again loads what is there now.
    model.fetchMore(model.indexForName(QStringLiteral("public/functions")));
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("persistent://public/functions/fn")).isValid(), kWaitMs);
    QVERIFY(finish(m_admin->deleteTopic(topic(QStringLiteral("persistent://public/default/later")))));
    QVERIFY(finish(m_admin->deleteTopic(topic(QStringLiteral("persistent://public/functions/fn")))));
}

void tst_TopicTreeModel::fetchErrorShowsAsRow()
{
    QVERIFY(finish(m_admin->createNamespace(*Pulsar::NamespaceName::parse(QStringLiteral("public/doomed")))));
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy failures(&model, &TopicTreeModel::fetchFailed);
    model.setAdminClient(m_admin.get());
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("public/doomed")).isValid(), kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    // The tester opened every namespace, the v1 ones (sample/standalone/ns1, my-property/us-west/my-ns) included,
    // and all of them loaded.
    for (const QList<QVariant> &failure : std::as_const(failures))
        qWarning("fetch failed: %s", qPrintable(failure.at(0).toString()));
    QCOMPARE(failures.count(), 0);

    QVERIFY(finish(m_admin->deleteNamespace(*Pulsar::NamespaceName::parse(QStringLiteral("public/doomed")))));
    model.reload(model.indexForName(QStringLiteral("public/doomed")));
    QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, kWaitMs);
    const auto error = failures.first().at(1).value<Pulsar::AdminError>();
    QCOMPARE(error.httpStatus, 404);
    QVERIFY(failures.first().at(0).toString().contains(QLatin1String("public/doomed")));
    const QModelIndex doomed = model.indexForName(QStringLiteral("public/doomed"));
    QCOMPARE(model.rowCount(doomed), 1);
    const QModelIndex row = model.index(0, 0, doomed);
    QCOMPARE(kindOf(row), NodeKind::Error);
    QVERIFY2(row.data().toString().startsWith(QLatin1String("Could not load")), qPrintable(row.data().toString()));
    QVERIFY(row.data(Qt::ToolTipRole).toString().contains(error.reason));
    QVERIFY(!model.canFetchMore(doomed)); // no retry loop; refresh() retries
    QVERIFY(doomed.data(Qt::ToolTipRole).toString().contains(QLatin1String("Could not load")));

    // The tenant's reload drops the namespace that is gone.
    model.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!model.indexForName(QStringLiteral("public/doomed")).isValid(), kWaitMs);
}

void tst_TopicTreeModel::v1NamespaceListsItsTopics()
{
    // A topic produced over the v1 WebSocket path into the v1 namespace the service makes on first start.
    TestSupport::WsClient producer(
        m_proxy->url(QStringLiteral("/ws/producer/persistent/sample/standalone/ns1/browsed?producerName=v1p")));
    QVERIFY(producer.waitConnected());
    producer.send(TestSupport::sendFrame("hello"));
    QTRY_COMPARE_WITH_TIMEOUT(producer.count(), 1, kWaitMs);

    TopicTreeModel model;
    QSignalSpy failures(&model, &TopicTreeModel::fetchFailed);
    model.setAdminClient(m_admin.get());
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForName(QStringLiteral("sample")).isValid(), kWaitMs);
    const QModelIndex sample = model.indexForName(QStringLiteral("sample"));
    model.fetchMore(sample);
    QTRY_COMPARE_WITH_TIMEOUT(childNames(&model, sample), QStringList{QStringLiteral("standalone/ns1")}, kWaitMs);
    const QModelIndex ns = model.indexForName(QStringLiteral("sample/standalone/ns1"));
    QCOMPARE(kindOf(ns), NodeKind::Namespace);
    QCOMPARE(ns.data(TopicTreeModel::NamespaceNameRole).toString(), QStringLiteral("sample/standalone/ns1"));
    QVERIFY(model.canFetchMore(ns));

    model.fetchMore(ns);
    QTRY_COMPARE_WITH_TIMEOUT(childNames(&model, ns), QStringList{QStringLiteral("browsed")}, kWaitMs);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(failures.count(), 0);
    const QModelIndex browsed = model.index(0, 0, ns);
    QCOMPARE(kindOf(browsed), NodeKind::Topic);
    QCOMPARE(browsed.data(TopicTreeModel::PersistentRole).toBool(), true);
    const QString name = browsed.data(TopicTreeModel::TopicNameRole).toString();
    QCOMPARE(name, QStringLiteral("persistent://sample/standalone/ns1/browsed"));

    // What the stats pane asks for the selected topic: its stats, through the v1 resource.
    std::optional<Pulsar::TopicStats> stats;
    QObject context;
    m_admin->topicStats(topic(name))
        ->then(
            &context, [&](const Pulsar::TopicStats &s) { stats = s; },
            [](const Pulsar::AdminError &error) { qWarning("stats: %s", qPrintable(error.message())); });
    QTRY_VERIFY_WITH_TIMEOUT(stats.has_value(), kWaitMs);
    QCOMPARE(stats->msgInCounter, 1);
    QCOMPARE(stats->publishers.size(), 1);
    QCOMPARE(stats->publishers.first().producerName, QStringLiteral("v1p"));
}

void tst_TopicTreeModel::unreachableClusterReportsTenants()
{
    Pulsar::AdminConnection connection;
    // A port nobody listens on: take a free one from a server that is closed at once.
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connection.adminUrl = QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(server.serverPort()));
    }
    Pulsar::AdminClient admin(connection);
    TopicTreeModel model;
    QSignalSpy failures(&model, &TopicTreeModel::fetchFailed);
    model.setAdminClient(&admin);
    QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, kWaitMs);
    QCOMPARE(failures.first().at(1).value<Pulsar::AdminError>().code, Pulsar::AdminError::Network);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading());
    model.setAdminClient(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_TopicTreeModel)
#include "tst_topictreemodel.moc"
