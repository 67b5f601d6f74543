// ProducerSession against the bundled proxy and scripted servers: every message field on the wire and back
// through a consumer, contexts (generated, given, duplicate), out-of-order acks, the in-flight window and its
// bounded queue, the outgoing high-water mark, the client-side send timeout, both in-flight policies across a
// dropped connection, error acks, and every producer option in the query.
#include "clienttestsupport.h"

#include "client/consumersession.h"
#include "client/producersession.h"

#include "protocol/timeformat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QtTest>

using namespace Pulsar;
using namespace ClientTest;

namespace {

template<typename Session>
bool waitState(Session *session, ChannelState state, int ms = kWaitMs)
{
    return QTest::qWaitFor([&] { return session->status().state == state; }, ms);
}

QList<SendResult> results(const QSignalSpy &spy)
{
    QList<SendResult> list;
    for (const QList<QVariant> &args : spy)
        list.append(args.first().value<SendResult>());
    return list;
}

OutgoingMessage message(const QByteArray &payload, const QString &context = QString())
{
    OutgoingMessage m;
    m.payload = payload;
    m.context = context;
    return m;
}

QString contextOf(const QString &frame)
{
    return QJsonDocument::fromJson(frame.toUtf8()).object().value(QLatin1String("context")).toString();
}

QString okAck(const QString &context, int entry)
{
    MessageId id;
    id.ledgerId = 7;
    id.entryId = entry;
    return QString::fromUtf8(ProducerAck::ok(id.toBase64String(), context).encode());
}

} // namespace

class TestProducer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendEveryFieldRoundTrip();
    void contexts();
    void outOfOrderAcks();
    void windowAndBoundedQueue();
    void highWaterMarkResumes();
    void sendTimeout();
    void failInFlightOnDrop();
    void resendInFlightOnDrop();
    void errorAck();
    void optionsInQuery();
    void closeFailsPending();
};

void TestProducer::sendEveryFieldRoundTrip()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("fields"));
    ConsumerSettings consumerSettings;
    consumerSettings.delivery.maxBatchDelayMs = 10;
    ConsumerSession consumer(target.profile(), Endpoint::consumer(topic, QStringLiteral("s")), consumerSettings);
    QSignalSpy batches(&consumer, &ConsumerSession::messagesReceived);
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Connected));

    ProducerSession producer(target.profile(), topic);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));

    OutgoingMessage m;
    m.payload = QByteArray("\x00\x01\xff"
                           "binary",
                           9);
    m.key = QStringLiteral("key-1");
    m.properties = {{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("b"), QStringLiteral("zwei")}};
    m.eventTimeMs = 1635548498120;
    m.replicationClusters = QStringList{QStringLiteral("standalone")};
    m.deliverAfterMs = 1; // Exclusive subscription: Pulsar delivers at once anyway
    const SendTicket ticket = producer.send(m);
    QVERIFY(ticket.accepted());
    QVERIFY(!ticket.context.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, kWaitMs);
    const SendResult result = results(done).first();
    QVERIFY2(result.ok, qPrintable(result.errorMsg));
    QCOMPARE(result.context, ticket.context);
    QCOMPARE(result.messageId.toBase64String(), result.messageIdBase64);
    QVERIFY(!result.possibleDuplicate);

    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 1, kWaitMs);
    const auto received = batches.first().first().value<QList<ReceivedMessage>>();
    QCOMPARE(received.size(), 1);
    const ConsumerMessage &got = received.first().message;
    QCOMPARE(got.payload, m.payload);
    QCOMPARE(got.key, m.key);
    QCOMPARE(got.properties, m.properties);
    QVERIFY(got.eventTime.has_value());
    QCOMPARE(*parsePulsarTime(*got.eventTime), *m.eventTimeMs);
    // The id the producer got is the id the consumer got.
    QCOMPARE(got.messageId, result.messageIdBase64);
    QCOMPARE(received.first().id, result.messageId);
}

void TestProducer::contexts()
{
    ClientTarget target;
    ProducerSession producer(target.profile(), ClientTarget::topic(QStringLiteral("ctx")));
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    QVERIFY(!producer.send(message("too early")).accepted()); // not open yet
    producer.open();
    const SendTicket a = producer.send(message("a"));
    const SendTicket b = producer.send(message("b"));
    const SendTicket mine = producer.send(message("c", QStringLiteral("my-context")));
    QVERIFY(a.accepted() && b.accepted() && mine.accepted());
    QVERIFY(a.context != b.context);
    QCOMPARE(mine.context, QStringLiteral("my-context"));
    const SendTicket dup = producer.send(message("d", QStringLiteral("my-context")));
    QVERIFY(!dup.accepted());
    QCOMPARE(dup.refused->code, ClientErrorCode::DuplicateContext);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, kWaitMs);
    QStringList contexts;
    for (const SendResult &r : results(done)) {
        QVERIFY(r.ok);
        contexts.append(r.context);
    }
    contexts.sort();
    QStringList expected{a.context, b.context, mine.context};
    expected.sort();
    QCOMPARE(contexts, expected);
    // Once acked, a context may be used again.
    QVERIFY(producer.send(message("e", QStringLiteral("my-context"))).accepted());
}

void TestProducer::outOfOrderAcks()
{
    ScriptedServer server;
    QStringList held;
    server.setHandler([&](QWebSocket *socket, const QString &text) {
        held.append(contextOf(text));
        if (held.size() == 3) {
            socket->sendTextMessage(okAck(held.at(2), 3));
            socket->sendTextMessage(okAck(held.at(0), 1));
            socket->sendTextMessage(okAck(held.at(1), 2));
        }
    });
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("ooo")));
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    const QString c1 = producer.send(message("1")).context;
    const QString c2 = producer.send(message("2")).context;
    const QString c3 = producer.send(message("3")).context;
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, kWaitMs);
    const QList<SendResult> r = results(done);
    QCOMPARE(r.at(0).context, c3);
    QCOMPARE(r.at(0).messageId.entryId, 3);
    QCOMPARE(r.at(1).context, c1);
    QCOMPARE(r.at(1).messageId.entryId, 1);
    QCOMPARE(r.at(2).context, c2);
    QCOMPARE(r.at(2).messageId.entryId, 2);
}

void TestProducer::windowAndBoundedQueue()
{
    ScriptedServer server;
    QList<QPair<QWebSocket *, QString>> held;
    server.setHandler([&](QWebSocket *socket, const QString &text) { held.append({socket, contextOf(text)}); });
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSettings settings;
    settings.maxInFlight = 5;
    settings.maxQueued = 3;
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("win")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    QSignalSpy available(&producer, &ProducerSession::windowAvailable);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    for (int i = 0; i < 8; ++i)
        QVERIFY(producer.send(message(QByteArray::number(i))).accepted());
    QVERIFY(!producer.canSend());
    const SendTicket refused = producer.send(message("9"));
    QCOMPARE(refused.refused->code, ClientErrorCode::QueueFull);
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 5, kWaitMs); // only the window is on the wire
    QCOMPARE(producer.inFlightCount(), 5);
    QCOMPARE(producer.queuedCount(), 3);
    QCOMPARE(server.frames().size(), 5);

    held.first().first->sendTextMessage(okAck(held.first().second, 1));
    QTRY_COMPARE_WITH_TIMEOUT(available.size(), 1, kWaitMs);
    QVERIFY(producer.canSend());
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 6, kWaitMs); // the queue moved into the freed slot
    for (int i = 1; i < 6; ++i)
        held.at(i).first->sendTextMessage(okAck(held.at(i).second, i + 1));
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 8, kWaitMs);
    for (int i = 6; i < 8; ++i)
        held.at(i).first->sendTextMessage(okAck(held.at(i).second, i + 1));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 8, kWaitMs);
    for (const SendResult &r : results(done))
        QVERIFY(r.ok);
}

void TestProducer::highWaterMarkResumes()
{
    ClientTarget target;
    ProducerSettings settings;
    settings.channel.outgoingHighWaterBytes = 1; // every frame crosses the mark: writes resume on bytesWritten
    settings.maxQueued = 500;
    ProducerSession producer(target.profile(), ClientTarget::topic(QStringLiteral("hwm")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    for (int i = 0; i < 300; ++i)
        QVERIFY(producer.send(message(QByteArray(2048, char('a' + i % 26)))).accepted());
    // Writes were held back at the mark: not everything can be on the wire at once.
    QVERIFY(producer.queuedCount() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 300, kWaitMs);
    for (const SendResult &r : results(done))
        QVERIFY2(r.ok, qPrintable(r.errorMsg));
}

void TestProducer::sendTimeout()
{
    ScriptedServer server; // never acks
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSettings settings;
    settings.options.sendTimeoutMillis = 200;
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("timeout")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    const QString context = producer.send(message("x")).context;
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, kWaitMs);
    const SendResult r = results(done).first();
    QCOMPARE(r.context, context);
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ClientErrorCode::SendTimeout);
    QCOMPARE(r.errorCode, WebSocketError::UnknownError);
    QCOMPARE(producer.inFlightCount(), 0);
    // A late ack for it is ignored, not reported twice.
    server.lastSocket()->sendTextMessage(okAck(context, 1));
    QVERIFY(!done.wait(200));
}

void TestProducer::failInFlightOnDrop()
{
    ScriptedServer server;
    int frames = 0;
    server.setHandler([&](QWebSocket *socket, const QString &) {
        if (++frames == 3)
            socket->abort(); // drops with three sends written and none acked
    });
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSettings settings;
    settings.channel = fastPolicy();
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("drop")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    for (int i = 0; i < 3; ++i)
        producer.send(message("m"));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, kWaitMs);
    for (const SendResult &r : results(done)) {
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, ClientErrorCode::InFlightLost);
        QVERIFY(r.errorMsg.contains(QLatin1String("may or may not have been stored")));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 2, kWaitMs); // and it reconnected
    // Nothing was resent.
    QVERIFY(!done.wait(200));
    QCOMPARE(server.frames().size(), 3);
}

void TestProducer::resendInFlightOnDrop()
{
    ScriptedServer server;
    int entry = 0;
    server.setHandler([&](QWebSocket *socket, const QString &text) {
        if (server.connectionCount() == 1) {
            if (server.frames().size() == 3)
                socket->abort();
            return;
        }
        socket->sendTextMessage(okAck(contextOf(text), ++entry));
    });
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSettings settings;
    settings.channel = fastPolicy();
    settings.inFlightPolicy = InFlightPolicy::ResendInFlight;
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("resend")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    QStringList contexts;
    for (int i = 0; i < 3; ++i)
        contexts.append(producer.send(message(QByteArray::number(i))).context);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, kWaitMs);
    QStringList acked;
    for (const SendResult &r : results(done)) {
        QVERIFY(r.ok);
        QVERIFY(r.possibleDuplicate); // flagged: the first connection may have stored it
        acked.append(r.context);
    }
    QCOMPARE(acked, contexts); // resent in the original order
    QCOMPARE(server.frames().size(), 6);
    // A send after the reconnect is not flagged.
    producer.send(message("fresh"));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 4, kWaitMs);
    QVERIFY(!results(done).last().possibleDuplicate);
}

void TestProducer::errorAck()
{
    ScriptedServer server;
    server.setHandler([](QWebSocket *socket, const QString &text) {
        socket->sendTextMessage(QString::fromUtf8(
            ProducerAck::failure(WebSocketError::UnknownError, QStringLiteral("queue is full"), contextOf(text))
                .encode()));
    });
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("err")));
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    producer.send(message("x"));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, kWaitMs);
    const SendResult r = results(done).first();
    QVERIFY(!r.ok);
    QCOMPARE(r.errorCode, WebSocketError::UnknownError);
    QCOMPARE(r.errorMsg, QStringLiteral("queue is full"));
    QCOMPARE(r.error.code, ClientErrorCode::SendFailed);
}

void TestProducer::optionsInQuery()
{
    ScriptedServer server;
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    profile.authentication = AuthenticationMethod::TokenQuery;
    profile.token = QStringLiteral("tok");
    ProducerSettings settings;
    ProducerOptions &o = settings.options;
    o.producerName = QStringLiteral("p 1");
    o.initialSequenceId = 42;
    o.hashingScheme = HashingScheme::Murmur3_32Hash;
    o.sendTimeoutMillis = 5000;
    o.batchingEnabled = true;
    o.batchingMaxMessages = 10;
    o.maxPendingMessages = 20;
    o.batchingMaxPublishDelay = 3;
    o.messageRoutingMode = MessageRoutingMode::RoundRobinPartition;
    o.compressionType = CompressionType::LZ4;
    o.encryptionKeys = QStringLiteral("k1");
    o.token = QStringLiteral("ignored"); // the profile decides where the token goes
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("opts")), settings);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    const QUrlQuery query(server.requests().first());
    const auto value = [&](const char *name) {
        return query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
    };
    QCOMPARE(value("producerName"), QStringLiteral("p 1"));
    QCOMPARE(value("initialSequenceId"), QStringLiteral("42"));
    QCOMPARE(value("hashingScheme"), QStringLiteral("Murmur3_32Hash"));
    QCOMPARE(value("sendTimeoutMillis"), QStringLiteral("5000"));
    QCOMPARE(value("batchingEnabled"), QStringLiteral("true"));
    QCOMPARE(value("batchingMaxMessages"), QStringLiteral("10"));
    QCOMPARE(value("maxPendingMessages"), QStringLiteral("20"));
    QCOMPARE(value("batchingMaxPublishDelay"), QStringLiteral("3"));
    QCOMPARE(value("messageRoutingMode"), QStringLiteral("RoundRobinPartition"));
    QCOMPARE(value("compressionType"), QStringLiteral("LZ4"));
    QCOMPARE(value("encryptionKeys"), QStringLiteral("k1"));
    QCOMPARE(query.allQueryItemValues(QStringLiteral("token")), QStringList{QStringLiteral("tok")});

    // Invalid options never reach the wire.
    ProducerSettings bad;
    bad.options.sendTimeoutMillis = -1;
    ProducerSession refused(profile, ClientTarget::topic(QStringLiteral("opts")), bad);
    refused.open();
    QCOMPARE(refused.status().state, ChannelState::Failed);
    QCOMPARE(refused.status().error.code, ClientErrorCode::InvalidConfiguration);
    QCOMPARE(server.connectionCount(), 1);
}

void TestProducer::closeFailsPending()
{
    ScriptedServer server; // never acks
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ProducerSettings settings;
    settings.maxInFlight = 1;
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("close")), settings);
    QSignalSpy done(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));
    producer.send(message("in flight"));
    producer.send(message("queued"));
    QTRY_COMPARE_WITH_TIMEOUT(server.frames().size(), 1, kWaitMs);
    producer.close();
    QCOMPARE(done.size(), 2);
    const QList<SendResult> r = results(done);
    QCOMPARE(r.at(0).error.code, ClientErrorCode::InFlightLost);
    QCOMPARE(r.at(1).error.code, ClientErrorCode::SessionClosed);
    QCOMPARE(producer.status().state, ChannelState::Closed);
}

QTEST_GUILESS_MAIN(TestProducer)
#include "tst_producer.moc"
