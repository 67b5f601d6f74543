// ProducerPanel against the bundled proxy in-process. A text message with key, properties and event time goes
// out and shows as an ok row with its decoded id, and a raw WebSocket reader finds payload, key and properties
// on the topic; hex and file payloads likewise; invalid JSON and duplicate property keys block Send inline;
// "Send N" at a rate finishes with every row ok, the progress bar full and the messages on the topic; Cancel
// stops early; a producerName conflict shows Pulsar's 409 message; a refused connection and form errors show in
// the status label and the event log; Ctrl+Enter sends; replication clusters reach the message, bad names are
// refused with the reason, and a send with them is stored with them (the admin API's X-Pulsar-replicated-to);
// saveState/restoreState round trip without the token.
#include "paneldriver.h"

#include "models/propertiesmodel.h"
#include "models/sendresultmodel.h"
#include "widgets/producerpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using Gui::ProducerPanel;
using Gui::SendResultModel;

using TestSupport::child;
using TestSupport::profileFor;
using TestSupport::uniqueTopic;

namespace {

constexpr int kWaitMs = TestSupport::kPanelWaitMs;

// Every message on the topic, from the earliest, as the raw reader frames (not through the project's client).
QList<QJsonObject> readTopic(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic, int expected)
{
    TestSupport::WsClient reader(
        proxy.url(QStringLiteral("/ws/v2/reader/") + topic.restPath() + QStringLiteral("?messageId=earliest")));
    if (!reader.waitConnected())
        return {};
    // Returning fewer than expected is the caller's failure to report.
    if (!QTest::qWaitFor([&] { return reader.messages().size() >= expected; }, kWaitMs))
        return reader.messages();
    return reader.messages();
}

struct Producer : TestSupport::PanelDriver<ProducerPanel>
{
    Producer(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic)
        : PanelDriver(profile, topic, QSize(1200, 900))
    {}
    void setMode(const QString &mode)
    {
        auto *combo = child<QComboBox>(&panel, "payloadModeCombo");
        combo->setCurrentIndex(combo->findData(mode));
    }
    void setPayload(const QString &text) { child<QPlainTextEdit>(&panel, "payloadEdit")->setPlainText(text); }
    SendResultModel *results() { return panel.results(); }
    QString cell(int row, int column) { return results()->data(results()->index(row, column)).toString(); }
    int rowsWithStatus(const QString &status)
    {
        int count = 0;
        for (int row = 0; row < results()->rowCount(); ++row)
            count += cell(row, SendResultModel::StatusColumn) == status ? 1 : 0;
        return count;
    }
};

// The X-Pulsar-replicated-to values of one stored message (ledger:entry[:...] as the results show it), from the
// admin API's get-message-by-id; Qt joins a repeated header's values with ", ".
QStringList replicatedTo(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic, const QString &humanId)
{
    const QStringList id = humanId.split(QLatin1Char(':'));
    if (id.size() < 2)
        return {QStringLiteral("bad id: ") + humanId};
    QNetworkAccessManager manager;
    const QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(proxy.port()) +
                                       QStringLiteral("/admin/v2/") + topic.restPath() + QStringLiteral("/ledger/") +
                                       id[0] + QStringLiteral("/entry/") + id[1]));
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, kWaitMs))
        return {QStringLiteral("no answer")};
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return {QStringLiteral("HTTP ") + reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toString()};
    const QString header = QString::fromUtf8(reply->rawHeader("X-Pulsar-replicated-to"));
    return header.isEmpty() ? QStringList() : header.split(QStringLiteral(", "));
}

const QRegularExpression kHumanId(QStringLiteral("^\\d+:\\d+:-?\\d+:-?\\d+$"));

} // namespace

class TestProducerPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void objectNamesAndTitle();
    void sendTextWithKeyAndProperties();
    void sendHexAndFile();
    void invalidJsonBlocksSend();
    void propertyErrorsBlockSend();
    void sendManyAtRate();
    void cancelStopsEarly();
    void ctrlEnterSends();
    void producerNameConflictShows409();
    void connectionRefused();
    void formErrorsShowInline();
    void replicationClustersReachTheMessage();
    void invalidReplicationClusters_data();
    void invalidReplicationClusters();
    void sendWithReplicationClusters();
    void disconnectClosesSession();
    void saveAndRestoreState();

private:
    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
};

void TestProducerPanel::initTestCase()
{
    m_proxy = std::make_unique<TestSupport::ProxyFixture>();
}

void TestProducerPanel::objectNamesAndTitle()
{
    Producer p(profileFor(m_proxy->port()),
               *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/orders")));
    QCOMPARE(p.panel.objectName(), QStringLiteral("producerPanel"));
    QCOMPARE(p.panel.title(), QStringLiteral("Produce orders"));
    QVERIFY(p.panel.kind() == Gui::Panel::Kind::Producer);
    const char *names[] = {"connectButton",
                           "disconnectButton",
                           "statusLabel",
                           "producerNameEdit",
                           "initialSequenceIdEdit",
                           "hashingSchemeCombo",
                           "messageRoutingModeCombo",
                           "compressionTypeCombo",
                           "sendTimeoutMillisSpin",
                           "batchingEnabledCheck",
                           "batchingMaxMessagesSpin",
                           "batchingMaxPublishDelaySpin",
                           "maxPendingMessagesSpin",
                           "encryptionKeysEdit",
                           "maxInFlightSpin",
                           "inFlightPolicyCombo",
                           "advancedToggle",
                           "advancedGroup",
                           "payloadModeCombo",
                           "payloadEdit",
                           "payloadError",
                           "prettyPrintButton",
                           "filePathEdit",
                           "browseButton",
                           "keyEdit",
                           "replicationClustersEdit",
                           "propertiesView",
                           "addPropertyButton",
                           "removePropertyButton",
                           "propertiesError",
                           "eventTimeCheck",
                           "eventTimeNowCheck",
                           "eventTimeEdit",
                           "deliverAfterSpin",
                           "deliverAtCheck",
                           "deliverAtEdit",
                           "sendButton",
                           "sendCountSpin",
                           "sendRateSpin",
                           "sendManyButton",
                           "cancelSendButton",
                           "sendProgress",
                           "resultsView",
                           "clearResultsButton"};
    for (const char *name : names)
        QVERIFY2(p.panel.findChild<QWidget *>(QString::fromLatin1(name)), name);
    QVERIFY(qobject_cast<QPlainTextEdit *>(child<QWidget>(&p.panel, "payloadEdit")));
    QCOMPARE(child<QTableView>(&p.panel, "resultsView")->model(), p.results());

    // Not connected until asked; nothing to send on.
    QVERIFY(!p.panel.session());
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(!p.button("sendManyButton")->isEnabled());
    QVERIFY(p.button("connectButton")->isEnabled());
    QVERIFY(!p.button("disconnectButton")->isEnabled());
    // The rare options are folded away.
    QVERIFY(!child<QWidget>(&p.panel, "advancedGroup")->isVisible());
    child<QToolButton>(&p.panel, "advancedToggle")->click();
    QVERIFY(child<QWidget>(&p.panel, "advancedGroup")->isVisible());
}

void TestProducerPanel::sendTextWithKeyAndProperties()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("text"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());
    QCOMPARE(p.status(), QStringLiteral("Connected"));
    QVERIFY(!p.button("connectButton")->isEnabled());
    QVERIFY(!child<QWidget>(&p.panel, "optionsGroup")->isEnabled());

    p.setPayload(QStringLiteral("hello wire \u00e9"));
    child<QLineEdit>(&p.panel, "keyEdit")->setText(QStringLiteral("key-1"));
    p.panel.properties()->addProperty(QStringLiteral("region"), QStringLiteral("eu-west"));
    p.panel.properties()->addProperty(QStringLiteral("tier"), QStringLiteral("gold"));
    child<QCheckBox>(&p.panel, "eventTimeCheck")->setChecked(true);
    const QDateTime eventTime = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 891), Qt::UTC);
    child<QDateTimeEdit>(&p.panel, "eventTimeEdit")->setDateTime(eventTime.toLocalTime());
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    QTest::mouseClick(p.button("sendButton"), Qt::LeftButton);

    QTRY_COMPARE_WITH_TIMEOUT(p.results()->rowCount(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(p.cell(0, SendResultModel::StatusColumn), QStringLiteral("ok"), kWaitMs);
    const QString humanId = p.cell(0, SendResultModel::MessageIdColumn);
    QVERIFY2(kHumanId.match(humanId).hasMatch(), qPrintable(humanId));
    QCOMPARE(p.cell(0, SendResultModel::KeyColumn), QStringLiteral("key-1"));
    QVERIFY(!p.cell(0, SendResultModel::ContextColumn).isEmpty());
    const QString base64Id =
        p.results()->data(p.results()->index(0, 0), SendResultModel::MessageIdBase64Role).toString();

    const QList<QJsonObject> messages = readTopic(*m_proxy, topic, 1);
    QCOMPARE(messages.size(), 1);
    const QJsonObject &message = messages.first();
    QCOMPARE(TestSupport::payloadOf(message), QByteArray("hello wire \xc3\xa9"));
    QCOMPARE(message.value(QLatin1String("key")).toString(), QStringLiteral("key-1"));
    const QJsonObject properties = message.value(QLatin1String("properties")).toObject();
    QCOMPARE(properties.size(), 2);
    QCOMPARE(properties.value(QLatin1String("region")).toString(), QStringLiteral("eu-west"));
    QCOMPARE(properties.value(QLatin1String("tier")).toString(), QStringLiteral("gold"));
    QCOMPARE(message.value(QLatin1String("messageId")).toString(), base64Id);
    QCOMPARE(Pulsar::MessageId::fromBase64(QStringView(base64Id))->toString(), humanId);
    QVERIFY2(message.value(QLatin1String("eventTime")).toString().startsWith(QStringLiteral("2026-03-04T05:06:07.891")),
             qPrintable(message.value(QLatin1String("eventTime")).toString()));
}

void TestProducerPanel::sendHexAndFile()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("binary"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());

    p.setMode(QStringLiteral("hex"));
    p.setPayload(QStringLiteral("de ad be ef 00"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    p.button("sendButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 1, kWaitMs);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    const QByteArray fileBytes("\x01\x02\x03file\xff", 8);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(fileBytes);
    }
    p.setMode(QStringLiteral("file"));
    QVERIFY(!child<QPlainTextEdit>(&p.panel, "payloadEdit")->isVisible());
    QVERIFY(child<QLineEdit>(&p.panel, "filePathEdit")->isVisible());
    QVERIFY(!p.button("sendButton")->isEnabled()); // no file chosen yet
    QCOMPARE(child<QLabel>(&p.panel, "payloadError")->text(), QStringLiteral("Choose a file to send"));
    child<QLineEdit>(&p.panel, "filePathEdit")->setText(dir.filePath(QStringLiteral("missing.bin")));
    QTRY_VERIFY(child<QLabel>(&p.panel, "payloadError")->text().contains(QStringLiteral("does not exist")));
    QVERIFY(!p.button("sendButton")->isEnabled());
    child<QLineEdit>(&p.panel, "filePathEdit")->setText(path);
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    QVERIFY(!child<QLabel>(&p.panel, "payloadError")->isVisible());
    p.button("sendButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 2, kWaitMs);

    const QList<QJsonObject> messages = readTopic(*m_proxy, topic, 2);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(TestSupport::payloadOf(messages[0]), QByteArray("\xde\xad\xbe\xef\x00", 5));
    QCOMPARE(TestSupport::payloadOf(messages[1]), fileBytes);
    QVERIFY(!messages[0].contains(QLatin1String("key")));
}

void TestProducerPanel::invalidJsonBlocksSend()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("json"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());
    p.setMode(QStringLiteral("json"));
    QVERIFY(p.button("prettyPrintButton")->isVisible());
    auto *error = child<QLabel>(&p.panel, "payloadError");

    p.setPayload(QStringLiteral("{\"a\":}"));
    QTRY_COMPARE(error->text(),
                 QStringLiteral("Invalid JSON at line 1, column 7 (position 7): object is missing after a comma"));
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(!p.button("sendManyButton")->isEnabled());
    QVERIFY(error->isVisible());
    // Where the parser stopped is marked in the editor (clamped to the last character).
    const auto selections = child<QPlainTextEdit>(&p.panel, "payloadEdit")->extraSelections();
    QCOMPARE(selections.size(), 1);
    QCOMPARE(selections.first().cursor.selectionStart(), 5);
    // Ctrl+Enter and a direct call do not send it either.
    p.panel.sendOnce();
    QVERIFY(!child<QLabel>(&p.panel, "statusLabel")->text().isEmpty());
    p.results()->flush();
    QCOMPARE(p.results()->rowCount(), 0);

    p.setPayload(QStringLiteral("{\"b\":[1,2],\"a\":true}"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    QVERIFY(!error->isVisible());
    p.button("prettyPrintButton")->click();
    QCOMPARE(child<QPlainTextEdit>(&p.panel, "payloadEdit")->toPlainText(),
             QStringLiteral("{\n    \"b\": [\n        1,\n        2\n    ],\n    \"a\": true\n}"));
    p.button("sendButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 1, kWaitMs);
    const QList<QJsonObject> messages = readTopic(*m_proxy, topic, 1);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(TestSupport::payloadOf(messages.first()),
             QByteArray("{\n    \"b\": [\n        1,\n        2\n    ],\n    \"a\": true\n}"));
}

void TestProducerPanel::propertyErrorsBlockSend()
{
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("props")));
    QVERIFY(p.connectAndWait());
    p.setPayload(QStringLiteral("x"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    auto *view = child<QTableView>(&p.panel, "propertiesView");
    auto *error = child<QLabel>(&p.panel, "propertiesError");

    QTest::mouseClick(p.button("addPropertyButton"), Qt::LeftButton);
    QCOMPARE(p.panel.properties()->rowCount(), 1);
    view->setCurrentIndex(QModelIndex());         // close the editor "Add" opened
    QVERIFY(p.button("sendButton")->isEnabled()); // a blank row is fine
    auto *model = p.panel.properties();
    model->setData(model->index(0, 0), QStringLiteral("a"));
    model->addProperty(QStringLiteral("a"), QStringLiteral("2"));
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("Duplicate property key \"a\" in rows 1 and 2"));

    // Remove the selected duplicate: valid again.
    view->selectRow(1);
    QTest::mouseClick(p.button("removePropertyButton"), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(p.button("sendButton")->isEnabled());
    QVERIFY(!error->isVisible());

    model->addProperty(QString(), QStringLiteral("orphan"));
    QVERIFY(!p.button("sendButton")->isEnabled());
    QCOMPARE(error->text(), QStringLiteral("Property in row 2 has an empty key"));
}

void TestProducerPanel::sendManyAtRate()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("many"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());
    p.setPayload(QStringLiteral("bulk"));
    child<QSpinBox>(&p.panel, "sendCountSpin")->setValue(50);
    child<QSpinBox>(&p.panel, "sendRateSpin")->setValue(200);
    QTRY_VERIFY(p.button("sendManyButton")->isEnabled());

    QElapsedTimer clock;
    clock.start();
    p.button("sendManyButton")->click();
    QVERIFY(p.panel.isSendingMany());
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(p.button("cancelSendButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!p.panel.isSendingMany(), kWaitMs);
    // 50 at 200 msgs/s: the last one is due after 245 ms.
    QVERIFY2(clock.elapsed() >= 200, qPrintable(QString::number(clock.elapsed())));

    auto *progress = child<QProgressBar>(&p.panel, "sendProgress");
    QCOMPARE(progress->value(), 100);
    QCOMPARE(progress->maximum(), 100);
    QTRY_COMPARE(p.results()->rowCount(), 50);
    QCOMPARE(p.rowsWithStatus(QStringLiteral("ok")), 50);
    for (int row = 0; row < 50; ++row)
        QVERIFY(kHumanId.match(p.cell(row, SendResultModel::MessageIdColumn)).hasMatch());
    QCOMPARE(p.status(), QStringLiteral("Sent 50 messages: 50 ok, 0 failed"));
    QVERIFY(p.button("sendManyButton")->isEnabled());
    QVERIFY(!p.button("cancelSendButton")->isEnabled());

    const QList<QJsonObject> messages = readTopic(*m_proxy, topic, 50);
    QCOMPARE(messages.size(), 50);
    for (const QJsonObject &message : messages)
        QCOMPARE(TestSupport::payloadOf(message), QByteArray("bulk"));
}

void TestProducerPanel::cancelStopsEarly()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("cancel"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());
    p.setPayload(QStringLiteral("c"));
    child<QSpinBox>(&p.panel, "sendCountSpin")->setValue(1000);
    child<QSpinBox>(&p.panel, "sendRateSpin")->setValue(50);
    QTRY_VERIFY(p.button("sendManyButton")->isEnabled());
    p.button("sendManyButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")) >= 5, kWaitMs);
    p.button("cancelSendButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(!p.panel.isSendingMany(), kWaitMs);
    p.results()->flush();
    const int rows = p.results()->rowCount();
    QVERIFY(rows >= 5 && rows < 1000);
    QCOMPARE(p.rowsWithStatus(QStringLiteral("ok")), rows); // what was sent still completed
    QVERIFY(p.status().startsWith(QStringLiteral("Stopped after %1 of 1000 messages").arg(rows)));
    QVERIFY(child<QProgressBar>(&p.panel, "sendProgress")->value() < 100);

    // Nothing more goes out.
    QSignalSpy inserted(p.results(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!inserted.wait(300));
    QCOMPARE(p.results()->rowCount(), rows);
    QCOMPARE(readTopic(*m_proxy, topic, rows).size(), rows);
}

void TestProducerPanel::ctrlEnterSends()
{
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("shortcut")));
    QVERIFY(p.connectAndWait());
    p.panel.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&p.panel));
    auto *editor = child<QPlainTextEdit>(&p.panel, "payloadEdit");
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("typed"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 1, kWaitMs);
    QCOMPARE(editor->toPlainText(), QStringLiteral("typed")); // the shortcut did not type a line break
}

void TestProducerPanel::producerNameConflictShows409()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("conflict"));
    TestSupport::WsClient holder(
        m_proxy->url(QStringLiteral("/ws/v2/producer/") + topic.restPath() + QStringLiteral("?producerName=taken")));
    QVERIFY(holder.waitConnected());

    Producer p(profileFor(m_proxy->port()), topic);
    child<QLineEdit>(&p.panel, "producerNameEdit")->setText(QStringLiteral("taken"));
    p.button("connectButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(p.panel.session() && p.panel.session()->status().state == Pulsar::ChannelState::Failed,
                             kWaitMs);
    const QString status = p.status();
    QVERIFY2(status.contains(QStringLiteral("409")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("Producer with name 'taken' is already connected to topic")),
             qPrintable(status));
    QVERIFY(p.logErrors().contains(status));
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(p.button("connectButton")->isEnabled()); // the user may fix the name and try again

    child<QLineEdit>(&p.panel, "producerNameEdit")->setText(QStringLiteral("free"));
    QVERIFY(p.connectAndWait());
}

void TestProducerPanel::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    Producer p(profileFor(port), uniqueTopic(QStringLiteral("refused")));
    p.panel.connectProducer();
    QTRY_VERIFY_WITH_TIMEOUT(p.panel.session() && p.panel.session()->status().state == Pulsar::ChannelState::Failed,
                             kWaitMs);
    const QString expected = p.panel.session()->status().error.text();
    QVERIFY(p.panel.session()->status().error.code == Pulsar::ClientErrorCode::ConnectionRefused);
    QCOMPARE(p.status(), expected);
    QVERIFY(p.logErrors().contains(expected));
}

void TestProducerPanel::formErrorsShowInline()
{
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("form")));
    child<QLineEdit>(&p.panel, "initialSequenceIdEdit")->setText(QStringLiteral("12x"));
    p.button("connectButton")->click();
    QVERIFY(!p.panel.session());
    QCOMPARE(p.status(), QStringLiteral("Initial sequence id: For input string: \"12x\""));
    QVERIFY(p.logErrors().contains(p.status()));

    child<QLineEdit>(&p.panel, "initialSequenceIdEdit")->setText(QStringLiteral("-5"));
    QVERIFY(p.connectAndWait());
    QCOMPARE(p.panel.session()->settings().options.initialSequenceId, std::optional<qint64>(-5));
}

void TestProducerPanel::replicationClustersReachTheMessage()
{
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("clusters-form")));
    p.setPayload(QStringLiteral("x"));
    auto *clusters = child<QLineEdit>(&p.panel, "replicationClustersEdit");
    QString error;

    // Empty (or blank): not sent, so the namespace's clusters apply.
    std::optional<Pulsar::OutgoingMessage> message = p.panel.messageFromForm(&error);
    QVERIFY2(message, qPrintable(error));
    QVERIFY(!message->replicationClusters);
    clusters->setText(QStringLiteral("  "));
    message = p.panel.messageFromForm(&error);
    QVERIFY2(message, qPrintable(error));
    QVERIFY(!message->replicationClusters);

    // Trimmed, in the order typed; every character Pulsar allows in a cluster name passes.
    clusters->setText(QStringLiteral(" standalone ,us-west,  eu_1.a=b:c "));
    message = p.panel.messageFromForm(&error);
    QVERIFY2(message, qPrintable(error));
    QVERIFY(message->replicationClusters);
    QCOMPARE(*message->replicationClusters,
             (QStringList{QStringLiteral("standalone"), QStringLiteral("us-west"), QStringLiteral("eu_1.a=b:c")}));
    QCOMPARE(message->payload, QByteArray("x"));
}

void TestProducerPanel::invalidReplicationClusters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString empty = QStringLiteral("Replication clusters: name %1 of %2 is empty; separate the names with "
                                         "single commas");
    const QString invalid =
        QStringLiteral("Replication clusters: \"%1\" is not a cluster name (letters, digits and - _ = : . only)");
    QTest::addRow("empty in the middle") << QStringLiteral("a,,b") << empty.arg(2).arg(3);
    QTest::addRow("trailing comma") << QStringLiteral("a, ") << empty.arg(2).arg(2);
    QTest::addRow("leading comma") << QStringLiteral(",a") << empty.arg(1).arg(2);
    QTest::addRow("space inside") << QStringLiteral("us west") << invalid.arg(QStringLiteral("us west"));
    QTest::addRow("slash") << QStringLiteral("ok, eu/1") << invalid.arg(QStringLiteral("eu/1"));
    QTest::addRow("not ASCII") << QStringLiteral("cl\u00fcster") << invalid.arg(QStringLiteral("cl\u00fcster"));
    QTest::addRow("semicolon list") << QStringLiteral("a;b") << invalid.arg(QStringLiteral("a;b"));
}

void TestProducerPanel::invalidReplicationClusters()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString got;
    QVERIFY(!ProducerPanel::replicationClustersFromText(text, &got));
    QCOMPARE(got, error);

    // The composer reports the same reason and builds no message.
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("clusters-bad")));
    p.setPayload(QStringLiteral("x"));
    child<QLineEdit>(&p.panel, "replicationClustersEdit")->setText(text);
    got.clear();
    QVERIFY(!p.panel.messageFromForm(&got));
    QCOMPARE(got, error);
}

void TestProducerPanel::sendWithReplicationClusters()
{
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("clusters"));
    Producer p(profileFor(m_proxy->port()), topic);
    QVERIFY(p.connectAndWait());
    auto *clusters = child<QLineEdit>(&p.panel, "replicationClustersEdit");

    // A bad name stops Send with the reason in the status label; nothing goes out.
    p.setPayload(QStringLiteral("first"));
    clusters->setText(QStringLiteral("standalone,,us-west"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    p.button("sendButton")->click();
    QCOMPARE(p.status(),
             QStringLiteral("Replication clusters: name 2 of 3 is empty; separate the names with single commas"));
    p.results()->flush();
    QCOMPARE(p.results()->rowCount(), 0);

    clusters->setText(QStringLiteral("standalone, us-west"));
    p.button("sendButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 1, kWaitMs);
    // And one without, so that the header below is the field's doing and not the proxy's default.
    clusters->clear();
    p.setPayload(QStringLiteral("second"));
    QTRY_VERIFY(p.button("sendButton")->isEnabled());
    p.button("sendButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(p.rowsWithStatus(QStringLiteral("ok")), 2, kWaitMs);

    const QList<QJsonObject> messages = readTopic(*m_proxy, topic, 2);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(TestSupport::payloadOf(messages[0]), QByteArray("first"));
    QCOMPARE(TestSupport::payloadOf(messages[1]), QByteArray("second"));
    // The proxy keeps the send frame's replicationClusters with the message and shows them as Pulsar's admin API
    // does, one X-Pulsar-replicated-to header per cluster.
    QCOMPARE(replicatedTo(*m_proxy, topic, p.cell(0, SendResultModel::MessageIdColumn)),
             (QStringList{QStringLiteral("standalone"), QStringLiteral("us-west")}));
    QCOMPARE(replicatedTo(*m_proxy, topic, p.cell(1, SendResultModel::MessageIdColumn)), QStringList());
}

void TestProducerPanel::disconnectClosesSession()
{
    Producer p(profileFor(m_proxy->port()), uniqueTopic(QStringLiteral("disconnect")));
    auto *compression = child<QComboBox>(&p.panel, "compressionTypeCombo");
    compression->setCurrentIndex(compression->findData(QStringLiteral("LZ4")));
    child<QCheckBox>(&p.panel, "batchingEnabledCheck")->setChecked(true);
    child<QSpinBox>(&p.panel, "sendTimeoutMillisSpin")->setValue(5000);
    QVERIFY(p.connectAndWait());
    const Pulsar::ProducerOptions &options = p.panel.session()->settings().options;
    QCOMPARE(Pulsar::toString(options.compressionType), QStringLiteral("LZ4"));
    QVERIFY(options.batchingEnabled);
    QCOMPARE(options.sendTimeoutMillis, 5000);

    p.button("disconnectButton")->click();
    QVERIFY(!p.panel.session());
    QCOMPARE(p.status(), QStringLiteral("Disconnected"));
    QVERIFY(p.button("connectButton")->isEnabled());
    QVERIFY(!p.button("sendButton")->isEnabled());
    QVERIFY(child<QWidget>(&p.panel, "optionsGroup")->isEnabled());
    QVERIFY(p.connectAndWait());
    p.panel.shutdown();
    QVERIFY(!p.panel.session());
}

void TestProducerPanel::saveAndRestoreState()
{
    Pulsar::ConnectionProfile profile = profileFor(m_proxy->port());
    profile.authentication = Pulsar::AuthenticationMethod::TokenQuery;
    profile.token = QStringLiteral("very-secret-token");
    const Pulsar::TopicName topic = uniqueTopic(QStringLiteral("state"));

    Producer a(profile, topic);
    child<QLineEdit>(&a.panel, "producerNameEdit")->setText(QStringLiteral("desk-1"));
    child<QLineEdit>(&a.panel, "initialSequenceIdEdit")->setText(QStringLiteral("42"));
    const auto pick = [](QComboBox *combo, const char *data) {
        combo->setCurrentIndex(combo->findData(QString::fromLatin1(data)));
    };
    pick(child<QComboBox>(&a.panel, "hashingSchemeCombo"), "Murmur3_32Hash");
    pick(child<QComboBox>(&a.panel, "messageRoutingModeCombo"), "RoundRobinPartition");
    pick(child<QComboBox>(&a.panel, "compressionTypeCombo"), "ZSTD");
    pick(child<QComboBox>(&a.panel, "inFlightPolicyCombo"), "resend");
    child<QSpinBox>(&a.panel, "sendTimeoutMillisSpin")->setValue(1234);
    child<QCheckBox>(&a.panel, "batchingEnabledCheck")->setChecked(true);
    child<QSpinBox>(&a.panel, "batchingMaxMessagesSpin")->setValue(77);
    child<QSpinBox>(&a.panel, "batchingMaxPublishDelaySpin")->setValue(9);
    child<QSpinBox>(&a.panel, "maxPendingMessagesSpin")->setValue(300);
    child<QSpinBox>(&a.panel, "maxInFlightSpin")->setValue(64);
    child<QLineEdit>(&a.panel, "encryptionKeysEdit")->setText(QStringLiteral("k1,k2"));
    child<QToolButton>(&a.panel, "advancedToggle")->setChecked(true);
    a.setMode(QStringLiteral("json"));
    a.setPayload(QStringLiteral("{\"x\": 1}"));
    child<QLineEdit>(&a.panel, "keyEdit")->setText(QStringLiteral("the-key"));
    child<QLineEdit>(&a.panel, "replicationClustersEdit")->setText(QStringLiteral("us-west, eu-1"));
    a.panel.properties()->addProperty(QStringLiteral("p1"), QStringLiteral("v1"));
    a.panel.properties()->addProperty(QStringLiteral("p2"), QStringLiteral("v2"));
    child<QCheckBox>(&a.panel, "eventTimeCheck")->setChecked(true);
    child<QCheckBox>(&a.panel, "eventTimeNowCheck")->setChecked(true);
    child<QSpinBox>(&a.panel, "deliverAfterSpin")->setValue(1500);
    child<QCheckBox>(&a.panel, "deliverAtCheck")->setChecked(true);
    const QDateTime deliverAt = QDateTime::fromMSecsSinceEpoch(1893456000123);
    child<QDateTimeEdit>(&a.panel, "deliverAtEdit")->setDateTime(deliverAt);
    child<QSpinBox>(&a.panel, "sendCountSpin")->setValue(250);
    child<QSpinBox>(&a.panel, "sendRateSpin")->setValue(40);
    child<QTableView>(&a.panel, "resultsView")->setColumnWidth(SendResultModel::ErrorColumn, 333);

    const QByteArray state = a.panel.saveState();
    QVERIFY(!state.contains("very-secret-token"));
    QVERIFY(!QJsonDocument::fromJson(state).isNull());

    Producer b(profile, topic);
    b.panel.restoreState(state);
    QCOMPARE(child<QLineEdit>(&b.panel, "producerNameEdit")->text(), QStringLiteral("desk-1"));
    QCOMPARE(child<QLineEdit>(&b.panel, "initialSequenceIdEdit")->text(), QStringLiteral("42"));
    QCOMPARE(child<QComboBox>(&b.panel, "hashingSchemeCombo")->currentData().toString(),
             QStringLiteral("Murmur3_32Hash"));
    QCOMPARE(child<QComboBox>(&b.panel, "messageRoutingModeCombo")->currentData().toString(),
             QStringLiteral("RoundRobinPartition"));
    QCOMPARE(child<QComboBox>(&b.panel, "compressionTypeCombo")->currentData().toString(), QStringLiteral("ZSTD"));
    QCOMPARE(child<QComboBox>(&b.panel, "inFlightPolicyCombo")->currentData().toString(), QStringLiteral("resend"));
    QCOMPARE(child<QSpinBox>(&b.panel, "sendTimeoutMillisSpin")->value(), 1234);
    QVERIFY(child<QCheckBox>(&b.panel, "batchingEnabledCheck")->isChecked());
    QCOMPARE(child<QSpinBox>(&b.panel, "batchingMaxMessagesSpin")->value(), 77);
    QCOMPARE(child<QSpinBox>(&b.panel, "batchingMaxPublishDelaySpin")->value(), 9);
    QCOMPARE(child<QSpinBox>(&b.panel, "maxPendingMessagesSpin")->value(), 300);
    QCOMPARE(child<QSpinBox>(&b.panel, "maxInFlightSpin")->value(), 64);
    QCOMPARE(child<QLineEdit>(&b.panel, "encryptionKeysEdit")->text(), QStringLiteral("k1,k2"));
    QVERIFY(child<QWidget>(&b.panel, "advancedGroup")->isVisible());
    QCOMPARE(child<QComboBox>(&b.panel, "payloadModeCombo")->currentData().toString(), QStringLiteral("json"));
    QCOMPARE(child<QPlainTextEdit>(&b.panel, "payloadEdit")->toPlainText(), QStringLiteral("{\"x\": 1}"));
    QCOMPARE(child<QLineEdit>(&b.panel, "keyEdit")->text(), QStringLiteral("the-key"));
    QCOMPARE(child<QLineEdit>(&b.panel, "replicationClustersEdit")->text(), QStringLiteral("us-west, eu-1"));
    QCOMPARE(b.panel.properties()->properties(), a.panel.properties()->properties());
    QVERIFY(child<QCheckBox>(&b.panel, "eventTimeCheck")->isChecked());
    QVERIFY(child<QCheckBox>(&b.panel, "eventTimeNowCheck")->isChecked());
    QCOMPARE(child<QSpinBox>(&b.panel, "deliverAfterSpin")->value(), 1500);
    QVERIFY(child<QCheckBox>(&b.panel, "deliverAtCheck")->isChecked());
    QCOMPARE(child<QDateTimeEdit>(&b.panel, "deliverAtEdit")->dateTime(), deliverAt);
    QCOMPARE(child<QSpinBox>(&b.panel, "sendCountSpin")->value(), 250);
    QCOMPARE(child<QSpinBox>(&b.panel, "sendRateSpin")->value(), 40);
    QCOMPARE(child<QTableView>(&b.panel, "resultsView")->columnWidth(SendResultModel::ErrorColumn), 333);
    QCOMPARE(b.panel.saveState(), state);

    // The restored form is what the session gets.
    const auto settings = b.panel.settingsFromForm(nullptr);
    QVERIFY(settings);
    QCOMPARE(settings->options.producerName, std::optional<QString>(QStringLiteral("desk-1")));
    QCOMPARE(settings->options.initialSequenceId, std::optional<qint64>(42));
    QCOMPARE(Pulsar::toString(settings->options.hashingScheme), QStringLiteral("Murmur3_32Hash"));
    QCOMPARE(Pulsar::toString(settings->options.messageRoutingMode), QStringLiteral("RoundRobinPartition"));
    QCOMPARE(Pulsar::toString(settings->options.compressionType), QStringLiteral("ZSTD"));
    QCOMPARE(settings->options.maxPendingMessages, 300);
    QCOMPARE(settings->options.encryptionKeys, std::optional<QString>(QStringLiteral("k1,k2")));
    QCOMPARE(settings->maxInFlight, 64);
    QVERIFY(settings->inFlightPolicy == Pulsar::InFlightPolicy::ResendInFlight);

    // Garbage leaves the form alone.
    b.panel.restoreState("not json");
    QCOMPARE(child<QLineEdit>(&b.panel, "producerNameEdit")->text(), QStringLiteral("desk-1"));
}

QTEST_MAIN(TestProducerPanel)
#include "tst_producerpanel.moc"
