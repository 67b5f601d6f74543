// ReaderPanel against the bundled proxy in-process: from earliest it sees every message in order; from a message
// id (typed as base64 or as ledger:entry:partition:batch) it starts right after it; latest sees only new ones;
// pause/resume loses nothing and repeats nothing; invalid ids show inline; end of topic; saveState/restoreState.
#include "messagetestsupport.h"

#include "models/eventlog.h"
#include "widgets/messagestreamview.h"
#include "widgets/readerpanel.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

using namespace MessageTest;
using Gui::MessageTableModel;
using Gui::ReaderPanel;

using TestSupport::child;

namespace {

struct Reader : TestSupport::PanelDriver<ReaderPanel>
{
    Reader(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic)
        : PanelDriver(profileFor(proxy), topic, QSize(1000, 700))
    {}
    void setStart(const QString &start, const QString &id = QString())
    {
        auto *combo = child<QComboBox>(&panel, "startPositionCombo");
        combo->setCurrentIndex(combo->findData(start));
        child<QLineEdit>(&panel, "startMessageIdEdit")->setText(id);
    }
};

} // namespace

class TestReaderPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void objectNames();
    void fromEarliestSeesAll();
    void fromMessageIdStartsAfterIt_data();
    void fromMessageIdStartsAfterIt();
    void fromLatestSeesOnlyNew();
    void pauseResumeLosesNothing();
    void invalidMessageIdShowsInline_data();
    void invalidMessageIdShowsInline();
    void endOfTopic();
    void saveAndRestoreState();

private:
    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
};

void TestReaderPanel::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
}

void TestReaderPanel::objectNames()
{
    Reader r(*m_proxy, *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/audit")));
    QCOMPARE(r.panel.objectName(), QStringLiteral("readerPanel"));
    QCOMPARE(r.panel.title(), QStringLiteral("Read audit"));
    for (const char *name :
         {"connectButton", "disconnectButton", "statusLabel", "startPositionCombo", "startMessageIdEdit",
          "messageTable", "pauseButton", "endOfTopicButton", "endOfTopicLabel", "receivedCountLabel", "rateLabel",
          "messageInspector", "receiverQueueSizeSpin", "readerNameEdit", "cryptoFailureActionCombo", "advancedToggle"})
        QVERIFY2(r.panel.findChild<QWidget *>(QString::fromLatin1(name)), name);
    QVERIFY(!r.panel.session());
    QVERIFY(!child<QWidget>(&r.panel, "ackButton")->isVisible()); // readers do not ack
    QVERIFY(!child<QLineEdit>(&r.panel, "startMessageIdEdit")->isEnabled());
    r.setStart(QStringLiteral("id"));
    QVERIFY(child<QLineEdit>(&r.panel, "startMessageIdEdit")->isEnabled());
}

void TestReaderPanel::fromEarliestSeesAll()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("all"));
    const QByteArrayList payloads = numbered("r", 25);
    const QList<Published> sent = publish(*m_proxy, topic, payloads);
    QCOMPARE(sent.size(), 25);
    Reader r(*m_proxy, topic);
    r.setStart(QStringLiteral("earliest"));
    QVERIFY(r.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 25, kWaitMs);
    QCOMPARE(payloadsOf(r.panel.model()), payloads);
    QCOMPARE(r.panel.model()->messageIdText(24), sent[24].messageId);
    QCOMPARE(r.panel.model()->data(r.panel.model()->index(0, MessageTableModel::MessageIdColumn)).toString(),
             displayId(sent[0].messageId));
}

void TestReaderPanel::fromMessageIdStartsAfterIt_data()
{
    QTest::addColumn<bool>("human");
    QTest::addRow("base64") << false;
    QTest::addRow("ledger:entry:partition:batch") << true;
}

void TestReaderPanel::fromMessageIdStartsAfterIt()
{
    QFETCH(bool, human);
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("after"));
    const QByteArrayList payloads = numbered("m", 6);
    const QList<Published> sent = publish(*m_proxy, topic, payloads);
    QCOMPARE(sent.size(), 6);
    Reader r(*m_proxy, topic);
    r.setStart(QStringLiteral("id"), human ? displayId(sent[2].messageId) : sent[2].messageId);
    QVERIFY(r.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 3, kWaitMs);
    QCOMPARE(payloadsOf(r.panel.model()), (QByteArrayList{"m3", "m4", "m5"}));
}

void TestReaderPanel::fromLatestSeesOnlyNew()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("latest"));
    QCOMPARE(publish(*m_proxy, topic, {"old"}).size(), 1);
    Reader r(*m_proxy, topic);
    r.setStart(QStringLiteral("latest"));
    QVERIFY(r.connectAndWait());
    QCOMPARE(publish(*m_proxy, topic, {"new"}).size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 1, kWaitMs);
    QCOMPARE(payloadsOf(r.panel.model()), QByteArrayList{"new"});
}

void TestReaderPanel::pauseResumeLosesNothing()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("pause"));
    QCOMPARE(publish(*m_proxy, topic, numbered("a", 5)).size(), 5);
    Reader r(*m_proxy, topic);
    r.setStart(QStringLiteral("earliest"));
    QVERIFY(r.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 5, kWaitMs);
    auto *pause = child<QPushButton>(&r.panel, "pauseButton");
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(r.status(), QStringLiteral("Paused"));
    QVERIFY(!r.panel.session()); // a paused reader receives nothing
    QCOMPARE(publish(*m_proxy, topic, numbered("b", 5)).size(), 5);
    QCOMPARE(r.panel.model()->rowCount(), 5);
    QTest::mouseClick(pause, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 10, kWaitMs);
    QByteArrayList expected = numbered("a", 5);
    expected += numbered("b", 5);
    QCOMPARE(payloadsOf(r.panel.model()), expected); // nothing lost, nothing twice
    QTRY_VERIFY_WITH_TIMEOUT(r.status().startsWith(QStringLiteral("Connected")), kWaitMs);
}

void TestReaderPanel::invalidMessageIdShowsInline_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("prefix");
    QTest::addRow("empty") << QString() << QStringLiteral("Enter the message id");
    QTest::addRow("bad base64") << QStringLiteral("not-base64!") << QStringLiteral("Not a message id (base64): ");
    QTest::addRow("bad human form") << QStringLiteral("12:x") << QStringLiteral("Not a message id (ledger:entry");
}

void TestReaderPanel::invalidMessageIdShowsInline()
{
    QFETCH(QString, id);
    QFETCH(QString, prefix);
    Reader r(*m_proxy, uniqueTopic(QStringLiteral("bad")));
    r.setStart(QStringLiteral("id"), id);
    r.panel.connectReader();
    QVERIFY2(r.status().startsWith(prefix), qPrintable(r.status()));
    QVERIFY(!r.panel.session());
    QVERIFY(child<QPushButton>(&r.panel, "connectButton")->isEnabled());
}

void TestReaderPanel::endOfTopic()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("eot"));
    QCOMPARE(publish(*m_proxy, topic, {"only"}).size(), 1);
    Reader r(*m_proxy, topic);
    r.setStart(QStringLiteral("earliest"));
    QVERIFY(r.connectAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(r.panel.model()->rowCount(), 1, kWaitMs);
    auto *label = child<QLabel>(&r.panel, "endOfTopicLabel");
    QTest::mouseClick(child<QPushButton>(&r.panel, "endOfTopicButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("End of topic: no")), kWaitMs);
    qint64 lastEntry = -1;
    Proxy::BrokerError error;
    QVERIFY(m_proxy->broker()->terminate(topic, &lastEntry, &error));
    QTest::mouseClick(child<QPushButton>(&r.panel, "endOfTopicButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("End of topic: yes")), kWaitMs);
}

void TestReaderPanel::saveAndRestoreState()
{
    QByteArray state;
    {
        Reader r(*m_proxy, uniqueTopic(QStringLiteral("state")));
        r.setStart(QStringLiteral("id"), QStringLiteral("12:34:-1:-1"));
        child<QLineEdit>(&r.panel, "readerNameEdit")->setText(QStringLiteral("auditor"));
        state = r.panel.saveState();
    }
    Reader d(*m_proxy, uniqueTopic(QStringLiteral("state")));
    d.panel.restoreState(state);
    QCOMPARE(child<QComboBox>(&d.panel, "startPositionCombo")->currentData().toString(), QStringLiteral("id"));
    QCOMPARE(child<QLineEdit>(&d.panel, "startMessageIdEdit")->text(), QStringLiteral("12:34:-1:-1"));
    QString error;
    const auto settings = d.panel.settingsFromForm(&error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(settings->options.readerName, std::optional<QString>(QStringLiteral("auditor")));
    const auto id = Pulsar::MessageId::fromBase64(QStringView(settings->options.messageId));
    QVERIFY(id.ok());
    QCOMPARE(id->ledgerId, 12);
    QCOMPARE(id->entryId, 34);
}

QTEST_MAIN(TestReaderPanel)
#include "tst_readerpanel.moc"
