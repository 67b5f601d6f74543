// StatsPane against the bundled proxy in-process: messages published over a raw WebSocket show in the counters,
// the producer in the publishers list and a connected consumer under its subscription; the refresh timer picks up
// new messages by itself; a partitioned topic is read through partitioned-stats; switching topics drops the old
// answer; a topic that does not exist shows the 404 inline and goes to the event log once.
#include "browsertestsupport.h"

#include "models/eventlog.h"
#include "widgets/statspane.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace BrowserTest;
using Gui::StatsPane;

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

class tst_StatsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void showsPublishedMessages();
    void timerRefreshes();
    void partitionedTopic();
    void switchingTopicDropsOldAnswer();
    void missingTopicShowsError();

private:
    QString text(const char *label) const { return child<QLabel>(m_pane.get(), label)->text(); }
    // Publishes `count` messages through `producer` and waits for their acks.
    static bool publish(TestSupport::WsClient &producer, int count)
    {
        const int before = producer.count();
        for (int i = 0; i < count; ++i)
            producer.send(TestSupport::sendFrame("payload-" + QByteArray::number(i)));
        return QTest::qWaitFor([&] { return producer.count() >= before + count; }, kWaitMs);
    }

    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
    std::unique_ptr<Pulsar::AdminClient> m_admin;
    Gui::EventLog m_log;
    std::unique_ptr<StatsPane> m_pane;
};

void tst_StatsPane::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
    m_admin = std::make_unique<Pulsar::AdminClient>(adminConnectionFor(*m_proxy));
    m_pane = std::make_unique<StatsPane>(&m_log);
    QCOMPARE(m_pane->objectName(), QStringLiteral("statsPane"));
    m_pane->resize(600, 800);
    m_pane->show();
    m_pane->setAdminClient(m_admin.get());
}

void tst_StatsPane::cleanupTestCase()
{
    m_pane.reset();
    m_admin.reset();
    m_proxy.reset();
}

void tst_StatsPane::showsPublishedMessages()
{
    const Pulsar::TopicName t = topic(QStringLiteral("persistent://public/default/stats-a"));
    TestSupport::WsClient producer(
        m_proxy->url(QStringLiteral("/ws/v2/producer/") + t.restPath() + QStringLiteral("?producerName=desk-prod")));
    QVERIFY(producer.waitConnected());
    TestSupport::WsClient consumer(m_proxy->url(QStringLiteral("/ws/v2/consumer/") + t.restPath() +
                                                QStringLiteral("/sub-one?consumerName=desk-cons&receiverQueueSize=1")));
    QVERIFY(consumer.waitConnected());
    QVERIFY(publish(producer, 3));

    QSignalSpy updated(m_pane.get(), &StatsPane::updated);
    m_pane->setTopic(t);
    QVERIFY(m_pane->isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(text("statsMsgInCounter"), QStringLiteral("3"), kWaitMs);
    QCOMPARE(child<QLabel>(m_pane.get(), "statsTopic")->text(), t.toString());
    QVERIFY(text("statsMsgRateIn").endsWith(QLatin1String("msg/s")));
    QVERIFY(!text("statsMsgRateOut").isEmpty());
    QVERIFY(!text("statsStorageSize").isEmpty());
    QVERIFY(!text("statsBacklogSize").isEmpty());
    QCOMPARE(text("statsPartitions"), QStringLiteral("not partitioned"));
    QVERIFY(text("statsStatus").startsWith(QLatin1String("Updated")));

    auto *publishers = child<QTreeWidget>(m_pane.get(), "publishersView");
    QCOMPARE(publishers->topLevelItemCount(), 1);
    QCOMPARE(publishers->topLevelItem(0)->text(0), QStringLiteral("desk-prod"));
    QVERIFY(!publishers->topLevelItem(0)->text(4).isEmpty()); // connected since
    auto *subscriptions = child<QTreeWidget>(m_pane.get(), "subscriptionsView");
    QCOMPARE(subscriptions->topLevelItemCount(), 1);
    QTreeWidgetItem *sub = subscriptions->topLevelItem(0);
    QCOMPARE(sub->text(0), QStringLiteral("sub-one"));
    QCOMPARE(sub->text(1), QStringLiteral("Exclusive"));
    QCOMPARE(sub->childCount(), 1);
    QCOMPARE(sub->child(0)->text(0), QStringLiteral("desk-cons"));
    QVERIFY(sub->isExpanded());

    // A collapsed subscription stays collapsed across refreshes.
    sub->setExpanded(false);
    const int before = updated.count();
    child<QPushButton>(m_pane.get(), "statsRefreshButton")->click();
    // A second click while the first request runs sends nothing more.
    m_pane->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() > before, kWaitMs);
    QVERIFY(!m_pane->isLoading());
    QCOMPARE(updated.count(), before + 1);
    QVERIFY(!subscriptions->topLevelItem(0)->isExpanded());
}

void tst_StatsPane::timerRefreshes()
{
    const Pulsar::TopicName t = topic(QStringLiteral("persistent://public/default/stats-timer"));
    TestSupport::WsClient producer(m_proxy->url(QStringLiteral("/ws/v2/producer/") + t.restPath()));
    QVERIFY(producer.waitConnected());
    QVERIFY(publish(producer, 2));
    m_pane->setTopic(t);
    QTRY_COMPARE_WITH_TIMEOUT(text("statsMsgInCounter"), QStringLiteral("2"), kWaitMs);
    m_pane->setRefreshInterval(1);
    QVERIFY(publish(producer, 3));
    QTRY_COMPARE_WITH_TIMEOUT(text("statsMsgInCounter"), QStringLiteral("5"), kWaitMs);
    m_pane->setRefreshInterval(0);
}

void tst_StatsPane::partitionedTopic()
{
    const Pulsar::TopicName t = topic(QStringLiteral("persistent://public/default/stats-parted"));
    QVERIFY(finish(m_admin->createPartitionedTopic(t, 2)));
    TestSupport::WsClient producer(m_proxy->url(QStringLiteral("/ws/v2/producer/") + t.partition(1).restPath()));
    QVERIFY(producer.waitConnected());
    QVERIFY(publish(producer, 4));
    m_pane->setTopic(t);
    QTRY_COMPARE_WITH_TIMEOUT(text("statsPartitions"), QStringLiteral("2"), kWaitMs);
    QCOMPARE(text("statsMsgInCounter"), QStringLiteral("4"));
    // One partition on its own.
    m_pane->setTopic(t.partition(0));
    QTRY_COMPARE_WITH_TIMEOUT(text("statsPartitions"), QStringLiteral("not partitioned"), kWaitMs);
    QCOMPARE(text("statsMsgInCounter"), QStringLiteral("0"));
}

void tst_StatsPane::switchingTopicDropsOldAnswer()
{
    const Pulsar::TopicName a = topic(QStringLiteral("persistent://public/default/stats-a"));
    const Pulsar::TopicName b = topic(QStringLiteral("persistent://public/default/stats-b"));
    TestSupport::WsClient producer(m_proxy->url(QStringLiteral("/ws/v2/producer/") + b.restPath()));
    QVERIFY(producer.waitConnected());
    QVERIFY(publish(producer, 7));
    QSignalSpy updated(m_pane.get(), &StatsPane::updated);
    m_pane->setTopic(a);
    m_pane->setTopic(b); // before a's answer came
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, kWaitMs);
    QCOMPARE(text("statsMsgInCounter"), QStringLiteral("7"));
    QCOMPARE(child<QLabel>(m_pane.get(), "statsTopic")->text(), b.toString());
    // a's request was cancelled and its answer ignored: the next update is b's again.
    m_pane->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, kWaitMs);
    QCOMPARE(text("statsMsgInCounter"), QStringLiteral("7"));
    QCOMPARE(m_pane->topic(), b);
}

void tst_StatsPane::missingTopicShowsError()
{
    m_log.clear();
    const Pulsar::TopicName t = topic(QStringLiteral("persistent://public/default/never-created"));
    m_pane->setTopic(t);
    QTRY_VERIFY_WITH_TIMEOUT(text("statsStatus").startsWith(QLatin1String("Could not load")), kWaitMs);
    QVERIFY(text("statsStatus").contains(t.toString()));
    QCOMPARE(text("statsMsgInCounter"), QStringLiteral("–"));
    m_log.flush();
    QCOMPARE(m_log.rowCount(), 1);
    QCOMPARE(m_log.entry(0).level, Gui::EventLog::Level::Error);
    QVERIFY(m_log.entry(0).text.contains(QLatin1String("never-created")));
    // The same error again is not logged again.
    QSignalSpy updated(m_pane.get(), &StatsPane::updated);
    m_pane->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, kWaitMs);
    m_log.flush();
    QCOMPARE(m_log.rowCount(), 1);

    m_pane->setAdminClient(nullptr);
    QCOMPARE(text("statsStatus"), QStringLiteral("Not connected."));
    QVERIFY(!child<QPushButton>(m_pane.get(), "statsRefreshButton")->isEnabled());
    m_pane->setAdminClient(m_admin.get());
}

QTEST_MAIN(tst_StatsPane)
#include "tst_statspane.moc"
