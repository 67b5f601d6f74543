// ConsumerPanel against the bundled proxy in-process: messages published over a raw WebSocket show with their
// id, key and properties; Ack of the selection (button) reaches the server (admin stats: backlog 0); Nack (the N
// key) brings the message back with a redelivery count; pause/resume loses nothing in push and pull mode; auto-ack;
// unsubscribe; the end-of-topic check; a refused second Exclusive consumer shows Pulsar's 409 message; form
// errors; saveState/restoreState.
#include "messagetestsupport.h"

#include "models/eventlog.h"
#include "widgets/consumerpanel.h"
#include "widgets/messagestreamview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

using namespace MessageTest;
using Gui::ConsumerPanel;
using Gui::MessageTableModel;

using TestSupport::child;

namespace {

QString cell(ConsumerPanel &panel, int row, int column)
{
    return panel.model()->data(panel.model()->index(row, column)).toString();
}

// A panel on `topic`, subscription `subscription`, from the earliest message, not yet connected.
struct Consumer : TestSupport::PanelDriver<ConsumerPanel>
{
    Consumer(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic,
             const QString &subscription = QStringLiteral("s"))
        : PanelDriver(profileFor(proxy), topic, QSize(1000, 700))
    {
        child<QLineEdit>(&panel, "subscriptionEdit")->setText(subscription);
        auto *position = child<QComboBox>(&panel, "initialPositionCombo");
        position->setCurrentIndex(position->findData(QStringLiteral("Earliest")));
    }
    void setType(const QString &type)
    {
        auto *combo = child<QComboBox>(&panel, "subscriptionTypeCombo");
        combo->setCurrentIndex(combo->findData(type));
    }
    void selectRow(int row)
    {
        auto *table = child<QTableView>(&panel, "messageTable");
        table->selectRow(row);
    }
};

} // namespace

class TestConsumerPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void objectNamesAndTitle();
    void showsIdKeyProperties();
    void ackSelectionClearsBacklog();
    void nackRedelivers();
    void autoAck();
    void pauseResumeLosesNothing_data();
    void pauseResumeLosesNothing();
    void unsubscribe();
    void endOfTopic();
    void secondExclusiveConsumerShows409();
    void reconnectToOwnSubscriptionRetries409();
    void formErrorsShowInline();
    void saveAndRestoreState();
    void countersAndCap();
    void tailFollowsOnlyAtTheBottom();

private:
    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
};

void TestConsumerPanel::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
}

void TestConsumerPanel::objectNamesAndTitle()
{
    Consumer c(*m_proxy, *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/orders")));
    QCOMPARE(c.panel.objectName(), QStringLiteral("consumerPanel"));
    QCOMPARE(c.panel.title(), QStringLiteral("Consume orders"));
    for (const char *name : {"connectButton",
                             "disconnectButton",
                             "statusLabel",
                             "subscriptionEdit",
                             "subscriptionTypeCombo",
                             "initialPositionCombo",
                             "messageTable",
                             "autoAckCheck",
                             "ackButton",
                             "nackButton",
                             "pauseButton",
                             "unsubscribeButton",
                             "endOfTopicButton",
                             "endOfTopicLabel",
                             "receivedCountLabel",
                             "ackedCountLabel",
                             "pendingCountLabel",
                             "rateLabel",
                             "messageInspector",
                             "inspectorTabs",
                             "payloadTextView",
                             "payloadJsonView",
                             "payloadHexView",
                             "payloadBase64View",
                             "metadataView",
                             "propertiesView",
                             "copyPayloadButton",
                             "savePayloadButton",
                             "advancedToggle",
                             "advancedGroup",
                             "receiverQueueSizeSpin",
                             "ackTimeoutSpin",
                             "negativeAckDelaySpin",
                             "maxRedeliverCountSpin",
                             "deadLetterTopicEdit",
                             "pullModeCheck",
                             "priorityLevelSpin",
                             "consumerNameEdit",
                             "subscriptionModeCombo",
                             "cryptoFailureActionCombo"})
        QVERIFY2(c.panel.findChild<QWidget *>(QString::fromLatin1(name)), name);
    QVERIFY(!c.panel.session()); // never connects by itself
    QVERIFY(!child<QWidget>(&c.panel, "advancedGroup")->isVisible());
    child<QAbstractButton>(&c.panel, "advancedToggle")->click();
    QVERIFY(child<QWidget>(&c.panel, "advancedGroup")->isVisible());
}

void TestConsumerPanel::showsIdKeyProperties()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("show"));
    QJsonObject properties;
    properties.insert(QStringLiteral("origin"), QStringLiteral("tst"));
    const QList<Published> sent = publish(*m_proxy, topic, {"{\"hello\":1}"}, properties, QStringLiteral("key-1"));
    QCOMPARE(sent.size(), 1);
    Consumer c(*m_proxy, topic);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 1, kWaitMs);
    QCOMPARE(cell(c.panel, 0, MessageTableModel::MessageIdColumn), displayId(sent[0].messageId));
    QCOMPARE(cell(c.panel, 0, MessageTableModel::KeyColumn), QStringLiteral("key-1"));
    QCOMPARE(cell(c.panel, 0, MessageTableModel::PropertiesColumn), QStringLiteral("origin=tst"));
    QCOMPARE(cell(c.panel, 0, MessageTableModel::PayloadColumn), QStringLiteral("{\"hello\":1}"));
    QCOMPARE(cell(c.panel, 0, MessageTableModel::AckStateColumn), QStringLiteral("pending"));
    QVERIFY(c.status().startsWith(QStringLiteral("Connected")));
    QVERIFY(!child<QWidget>(&c.panel, "subscriptionEdit")->isEnabled()); // the form is locked while connected

    // Selecting the row fills the inspector.
    c.selectRow(0);
    QCOMPARE(child<QPlainTextEdit>(&c.panel, "payloadTextView")->toPlainText(), QStringLiteral("{\"hello\":1}"));

    QTest::mouseClick(child<QPushButton>(&c.panel, "disconnectButton"), Qt::LeftButton);
    QCOMPARE(c.status(), QStringLiteral("Disconnected"));
    QVERIFY(child<QWidget>(&c.panel, "subscriptionEdit")->isEnabled());
}

void TestConsumerPanel::ackSelectionClearsBacklog()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("ack"));
    QCOMPARE(publish(*m_proxy, topic, numbered("a", 3)).size(), 3);
    Consumer c(*m_proxy, topic);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 3, kWaitMs);
    QCOMPARE(backlog(*m_proxy, topic, QStringLiteral("s")), 3);

    auto *table = child<QTableView>(&c.panel, "messageTable");
    table->selectAll();
    QTest::mouseClick(child<QPushButton>(&c.panel, "ackButton"), Qt::LeftButton);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(c.panel.model()->ackState(row), MessageTableModel::AckState::Acked);
    QTRY_COMPARE_WITH_TIMEOUT(cell(c.panel, 2, MessageTableModel::AckStateColumn), QStringLiteral("acked"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(backlog(*m_proxy, topic, QStringLiteral("s")), 0, kWaitMs);
    QCOMPARE(c.panel.session()->unackedCount(), 0);
}

void TestConsumerPanel::nackRedelivers()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("nack"));
    const QList<Published> sent = publish(*m_proxy, topic, {"again"});
    QCOMPARE(sent.size(), 1);
    Consumer c(*m_proxy, topic);
    c.setType(QStringLiteral("Shared")); // Exclusive and Failover always report redeliveryCount 0
    child<QSpinBox>(&c.panel, "negativeAckDelaySpin")->setValue(100);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 1, kWaitMs);

    auto *table = child<QTableView>(&c.panel, "messageTable");
    table->setFocus();
    c.selectRow(0);
    QTest::keyClick(table, Qt::Key_N); // the table-scoped shortcut
    QCOMPARE(c.panel.model()->ackState(0), MessageTableModel::AckState::Nacked);
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 2, kWaitMs);
    QCOMPARE(c.panel.model()->messageIdText(1), sent[0].messageId);
    QVERIFY(cell(c.panel, 1, MessageTableModel::RedeliveryColumn).toInt() >= 1);
    QVERIFY(c.panel.model()->message(1).redelivered);

    // A acks from the keyboard too.
    c.selectRow(1);
    QTest::keyClick(table, Qt::Key_A);
    QCOMPARE(c.panel.model()->ackState(1), MessageTableModel::AckState::Acked);
    QTRY_COMPARE_WITH_TIMEOUT(backlog(*m_proxy, topic, QStringLiteral("s")), 0, kWaitMs);
}

void TestConsumerPanel::autoAck()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("auto"));
    QCOMPARE(publish(*m_proxy, topic, numbered("x", 20)).size(), 20);
    Consumer c(*m_proxy, topic);
    child<QCheckBox>(&c.panel, "autoAckCheck")->setChecked(true);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 20, kWaitMs);
    for (int row = 0; row < 20; ++row)
        QCOMPARE(c.panel.model()->ackState(row), MessageTableModel::AckState::Acked);
    QTRY_COMPARE_WITH_TIMEOUT(backlog(*m_proxy, topic, QStringLiteral("s")), 0, kWaitMs);
    c.panel.streamView()->updateCounters();
    QCOMPARE(child<QLabel>(&c.panel, "receivedCountLabel")->text(), QStringLiteral("Received: 20"));
    QCOMPARE(child<QLabel>(&c.panel, "ackedCountLabel")->text(), QStringLiteral("Acked: 20"));
    QCOMPARE(child<QLabel>(&c.panel, "pendingCountLabel")->text(), QStringLiteral("Pending: 0"));
}

void TestConsumerPanel::pauseResumeLosesNothing_data()
{
    QTest::addColumn<bool>("pullMode");
    QTest::addRow("push, auto-ack held") << false;
    QTest::addRow("pull, permits withheld") << true;
}

void TestConsumerPanel::pauseResumeLosesNothing()
{
    QFETCH(bool, pullMode);
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("pause"));
    Consumer c(*m_proxy, topic);
    child<QSpinBox>(&c.panel, "receiverQueueSizeSpin")->setValue(10);
    child<QCheckBox>(&c.panel, "pullModeCheck")->setChecked(pullMode);
    child<QCheckBox>(&c.panel, "autoAckCheck")->setChecked(true);
    QVERIFY(c.connectAndWait());
    auto *pause = child<QPushButton>(&c.panel, "pauseButton");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(pause->isChecked());
    QCOMPARE(pause->text(), QStringLiteral("Resume"));

    const QByteArrayList payloads = numbered("p", 50);
    QCOMPARE(publish(*m_proxy, topic, payloads).size(), 50);
    // While paused the server stops at the window (10 unacked, or 10 permits) and nothing more arrives.
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 10, kWaitMs);
    QTest::qWait(300); // a bounded look for messages that should not come
    QCOMPARE(c.panel.model()->rowCount(), 10);
    QCOMPARE(c.panel.model()->ackState(0), MessageTableModel::AckState::Pending);
    QCOMPARE(backlog(*m_proxy, topic, QStringLiteral("s")), 50);

    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!pause->isChecked());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 50, kWaitMs);
    QCOMPARE(payloadsOf(c.panel.model()), payloads); // every message, once, in order
    QTRY_COMPARE_WITH_TIMEOUT(backlog(*m_proxy, topic, QStringLiteral("s")), 0, kWaitMs);
    for (int row = 0; row < 50; ++row)
        QCOMPARE(c.panel.model()->ackState(row), MessageTableModel::AckState::Acked);
}

void TestConsumerPanel::unsubscribe()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("unsub"));
    QCOMPARE(publish(*m_proxy, topic, {"u"}).size(), 1);
    Consumer c(*m_proxy, topic, QStringLiteral("gone"));
    QVERIFY(c.connectAndWait());
    QCOMPARE(backlog(*m_proxy, topic, QStringLiteral("gone")), 1);
    QTest::mouseClick(child<QPushButton>(&c.panel, "unsubscribeButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(c.status().startsWith(QStringLiteral("Unsubscribed")), kWaitMs);
    QVERIFY(!c.panel.session());
    QCOMPARE(backlog(*m_proxy, topic, QStringLiteral("gone")), -1); // no such subscription any more
    QVERIFY(child<QPushButton>(&c.panel, "connectButton")->isEnabled());
}

void TestConsumerPanel::endOfTopic()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("eot"));
    QCOMPARE(publish(*m_proxy, topic, {"last"}).size(), 1);
    Consumer c(*m_proxy, topic);
    child<QCheckBox>(&c.panel, "autoAckCheck")->setChecked(true);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->rowCount(), 1, kWaitMs);
    auto *button = child<QPushButton>(&c.panel, "endOfTopicButton");
    auto *label = child<QLabel>(&c.panel, "endOfTopicLabel");
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("End of topic: no")), kWaitMs);
    qint64 lastEntry = -1;
    Proxy::BrokerError error;
    QVERIFY(m_proxy->broker()->terminate(topic, &lastEntry, &error));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("End of topic: yes")), kWaitMs);
}

void TestConsumerPanel::secondExclusiveConsumerShows409()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("excl"));
    Consumer first(*m_proxy, topic, QStringLiteral("only"));
    QVERIFY(first.connectAndWait());
    Consumer second(*m_proxy, topic, QStringLiteral("only"));
    QTest::mouseClick(child<QPushButton>(&second.panel, "connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(second.status().contains(QStringLiteral("409")), kWaitMs);
    QVERIFY2(second.status().contains(QStringLiteral("Exclusive consumer is already connected")),
             qPrintable(second.status()));
    QVERIFY(!second.panel.session());
    QVERIFY(child<QPushButton>(&second.panel, "connectButton")->isEnabled()); // the user can change and retry
    second.log.flush();
    QVERIFY(second.log.rowCount() > 0);
    QCOMPARE(second.log.entry(second.log.rowCount() - 1).level, Gui::EventLog::Level::Error);
}

// Coming back to the subscription the panel just left retries a 409 (Pulsar closes the old consumer asynchronously)
// instead of failing at once as a first connection does; here another panel holds the subscription meanwhile.
void TestConsumerPanel::reconnectToOwnSubscriptionRetries409()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("back"));
    Consumer returning(*m_proxy, topic, QStringLiteral("back"));
    QVERIFY(returning.connectAndWait());
    QTest::mouseClick(returning.button("disconnectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!returning.panel.session(), kWaitMs);
    Consumer holder(*m_proxy, topic, QStringLiteral("back"));
    QVERIFY(holder.connectAndWait());

    QTest::mouseClick(returning.button("connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(returning.panel.session() &&
                                 returning.panel.session()->status().state == Pulsar::ChannelState::Reconnecting,
                             kWaitMs);
    QVERIFY2(returning.panel.session()->status().error.httpStatus == 409,
             qPrintable(returning.panel.session()->status().error.text()));
    QTest::mouseClick(holder.button("disconnectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(returning.panel.session() && returning.panel.session()->channel()->isConnected(), kWaitMs);
}

void TestConsumerPanel::formErrorsShowInline()
{
    Consumer c(*m_proxy, uniqueTopic(QStringLiteral("form")));
    child<QLineEdit>(&c.panel, "subscriptionEdit")->clear();
    c.panel.connectConsumer();
    QCOMPARE(c.status(), QStringLiteral("Enter a subscription name."));
    QVERIFY(!c.panel.session());
    child<QLineEdit>(&c.panel, "subscriptionEdit")->setText(QStringLiteral("s"));
    child<QSpinBox>(&c.panel, "ackTimeoutSpin")->setValue(10); // Pulsar wants 0 or >= 1000
    c.panel.connectConsumer();
    QVERIFY2(c.status().startsWith(QStringLiteral("Invalid option: ")), qPrintable(c.status()));
    QVERIFY(!c.panel.session());
}

void TestConsumerPanel::saveAndRestoreState()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("state"));
    QByteArray state;
    {
        Consumer c(*m_proxy, topic, QStringLiteral("saved-sub"));
        c.setType(QStringLiteral("Key_Shared"));
        child<QSpinBox>(&c.panel, "receiverQueueSizeSpin")->setValue(250);
        child<QLineEdit>(&c.panel, "deadLetterTopicEdit")->setText(QStringLiteral("dlq"));
        child<QSpinBox>(&c.panel, "maxRedeliverCountSpin")->setValue(3);
        child<QCheckBox>(&c.panel, "pullModeCheck")->setChecked(true);
        child<QCheckBox>(&c.panel, "autoAckCheck")->setChecked(true);
        child<QTableView>(&c.panel, "messageTable")->setColumnWidth(MessageTableModel::KeyColumn, 177);
        state = c.panel.saveState();
    }
    Consumer d(*m_proxy, topic);
    d.panel.restoreState(state);
    QCOMPARE(child<QLineEdit>(&d.panel, "subscriptionEdit")->text(), QStringLiteral("saved-sub"));
    QCOMPARE(child<QComboBox>(&d.panel, "subscriptionTypeCombo")->currentData().toString(),
             QStringLiteral("Key_Shared"));
    QCOMPARE(child<QComboBox>(&d.panel, "initialPositionCombo")->currentData().toString(), QStringLiteral("Earliest"));
    QCOMPARE(child<QSpinBox>(&d.panel, "receiverQueueSizeSpin")->value(), 250);
    QCOMPARE(child<QLineEdit>(&d.panel, "deadLetterTopicEdit")->text(), QStringLiteral("dlq"));
    QCOMPARE(child<QSpinBox>(&d.panel, "maxRedeliverCountSpin")->value(), 3);
    QVERIFY(child<QCheckBox>(&d.panel, "pullModeCheck")->isChecked());
    QVERIFY(child<QCheckBox>(&d.panel, "autoAckCheck")->isChecked());
    QCOMPARE(child<QTableView>(&d.panel, "messageTable")->columnWidth(MessageTableModel::KeyColumn), 177);
    QString error;
    const auto settings = d.panel.settingsFromForm(&error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QVERIFY(settings->options.subscriptionType == Pulsar::SubscriptionType::KeyShared);
    QCOMPARE(settings->options.maxRedeliverCount, std::optional<int>(3));
    QVERIFY(!state.contains("token"));
}

void TestConsumerPanel::countersAndCap()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("cap"));
    QCOMPARE(publish(*m_proxy, topic, numbered("c", 30)).size(), 30);
    Consumer c(*m_proxy, topic);
    c.panel.setMaxRows(12);
    child<QCheckBox>(&c.panel, "autoAckCheck")->setChecked(true);
    QVERIFY(c.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.streamView()->receivedCount(), 30, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(c.panel.model()->queuedCount(), 0, kWaitMs);
    QCOMPARE(c.panel.model()->rowCount(), 12);
    QCOMPARE(c.panel.model()->message(0).message.payload, QByteArray("c18"));
    QCOMPARE(c.panel.model()->message(11).message.payload, QByteArray("c29"));
    QVERIFY(c.panel.streamView()->isFollowingTail());
}

void TestConsumerPanel::tailFollowsOnlyAtTheBottom()
{
    // The view alone, fed by hand: Wireshark's rule, and rows kept in place when the oldest are dropped.
    Gui::MessageStreamView view(Gui::MessageStreamView::Mode::Consumer);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.model()->setMaxRows(1000);
    const auto feed = [&view](int from, int count) {
        QList<Pulsar::ReceivedMessage> batch;
        for (int i = from; i < from + count; ++i) {
            Pulsar::ReceivedMessage m;
            m.id.ledgerId = 1;
            m.id.entryId = i;
            m.message.messageId = m.id.toBase64String();
            m.message.payload = QByteArray::number(i);
            batch.append(m);
        }
        view.addMessages(batch, MessageTableModel::AckState::Pending);
        view.model()->flush();
        QCoreApplication::processEvents(); // let the view lay out, as the event loop does between flushes
    };
    auto *table = child<QTableView>(&view, "messageTable");
    QScrollBar *bar = table->verticalScrollBar();
    feed(0, 500);
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum()); // at the bottom: follows
    feed(500, 100);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(view.isFollowingTail());

    bar->setValue(100); // the user scrolls up to read row 100
    feed(600, 100);
    QVERIFY(!view.isFollowingTail());
    QCOMPARE(bar->value(), 100);
    QCOMPARE(table->indexAt(QPoint(5, 5)).row(), 100);
    feed(700, 400); // 1100 > cap 1000: 100 rows leave at the top, the rows being read stay in view
    QCOMPARE(view.model()->rowCount(), 1000);
    QCOMPARE(bar->value(), 0);
    QCOMPARE(view.model()->message(table->indexAt(QPoint(5, 5)).row()).message.payload, QByteArray("100"));

    table->scrollToBottom(); // back at the bottom: following again
    feed(1100, 50);
    QVERIFY(view.isFollowingTail());
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(view.model()->message(view.model()->rowCount() - 1).message.payload, QByteArray("1149"));
}

QTEST_MAIN(TestConsumerPanel)
#include "tst_consumerpanel.moc"
