// The bundled service over loopback: handshakes, produce/consume, flow control and subscription types,
// checked on the wire against spec sections 1-7 and Pulsar's own test cases (spec 8).
#include "proxyfixture.h"

#include "protocol/topicname.h"
#include "protocol/wirestatus.h"
#include "proxy/broker/topic.h"

#include <QtTest>

using namespace TestSupport;

namespace {

QString v2(const QString &kind, const QString &topic, const QString &tail = QString())
{
    return QStringLiteral("/ws/v2/") + kind + QStringLiteral("/persistent/public/default/") + topic + tail;
}

QString idOf(const QJsonObject &frame)
{
    return frame.value(QLatin1String("messageId")).toString();
}

} // namespace

class TestProxyServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void produceAndConsumeRoundTrip();
    void handshakeRefusals_data();
    void handshakeRefusals();
    void exclusiveConflictGives409();
    void producerNameConflictGives409();
    void pullModePermits();
    void pushWindowStopsWithoutAcks();
    void sharedRoundRobin();
    void failoverStandbyTakesOver();
    void sharedAckFromAnotherConnection();
    void keySharedKeepsKeyOnOneConsumer();
    void negativeAckRedelivers();
    void deadLetterAfterMaxRedeliveries();
    void readerFromEarliestAndWindow();
    void endOfTopicAfterTerminate();
    void unsubscribeRemovesSubscription();
    void producerErrorAcks();
    void oversizedFrameCloses1009();
    void messagesAndCursorSurviveRestart();
    void partitionedTopicRoutesAndConsumes();
    void nonPersistentTopicIdsAreZero();
    void idleSessionIsClosed();
    void serverPingKeepsSessionAlive();
    void clientPingGetsPong();
    void multiTopicConsumer();
    void ackTimeoutRedelivers();
    void delayedDeliveryOnShared();
    void nonDurableSubscriptionGoesAwayWithItsConsumer();
    void initialPositionEarliestAndLatest();
    void pendingSendBoundGivesSendError8();
    void unknownTopicRefusedWhenAutoCreationIsOff();
    void encodedNamesSurvive();
};

void TestProxyServer::produceAndConsumeRoundTrip()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("rt"), QStringLiteral("/sub"))));
    QVERIFY(consumer.waitConnected());
    // A trailing slash on the producer URL is accepted (spec 8 item 1).
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("rt/"))));
    QVERIFY(producer.waitConnected());

    QJsonObject props;
    props.insert(QStringLiteral("k1"), QStringLiteral("v1"));
    for (int i = 0; i < 10; ++i)
        producer.send(sendFrame("test" + QByteArray::number(i), QString::number(i), props, QString::number(i)));
    QTRY_COMPARE(producer.count(), 10);
    QTRY_COMPARE(consumer.count(), 10);

    QStringList ackedIds;
    for (int i = 0; i < 10; ++i) {
        const QJsonObject ack = producer.frames()[i];
        QCOMPARE(ack.value(QLatin1String("result")).toString(), QStringLiteral("ok"));
        QCOMPARE(ack.value(QLatin1String("context")).toString(), QString::number(i));
        QCOMPARE(ack.value(QLatin1String("errorCode")).toInt(-1), 0);
        QCOMPARE(ack.value(QLatin1String("schemaVersion")).toInt(-1), 0);
        ackedIds.append(idOf(ack));
    }
    // The exact key order and field set Pulsar writes.
    QVERIFY(producer.raw().first().startsWith(QLatin1String("{\"result\":\"ok\",\"messageId\":\"")));
    QVERIFY(
        producer.raw().first().endsWith(QLatin1String("\",\"context\":\"0\",\"errorCode\":0,\"schemaVersion\":0}")));

    QStringList receivedIds;
    for (int i = 0; i < 10; ++i) {
        const QJsonObject m = consumer.frames()[i];
        receivedIds.append(idOf(m));
        QCOMPARE(payloadOf(m), QByteArray("test" + QByteArray::number(i)));
        QCOMPARE(m.value(QLatin1String("key")).toString(), QString::number(i));
        QCOMPARE(m.value(QLatin1String("properties")).toObject(), props);
        QCOMPARE(m.value(QLatin1String("redeliveryCount")).toInt(-1), 0);
        QVERIFY(m.value(QLatin1String("publishTime")).toString().contains(QLatin1Char('T')));
        QVERIFY(!m.contains(QLatin1String("eventTime")));
    }
    // The producer's ids equal the consumer's (spec 4, ProxyPublishConsumeTest#socketTest).
    QCOMPARE(receivedIds, ackedIds);
}

void TestProxyServer::handshakeRefusals_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("bodyContains");
    QTest::addRow("empty subscription") << QByteArray("/ws/v2/consumer/persistent/public/default/my-topic2/?x=1")
                                        << true << 400 << QByteArray("Invalid query params: Empty subscription name");
    QTest::addRow("bad subscription type")
        << QByteArray("/ws/v2/consumer/persistent/public/default/t/s?subscriptionType=Foo") << true << 400
        << QByteArray("Invalid query params: Invalid subscriptionType Foo");
    QTest::addRow("bad number") << QByteArray("/ws/v2/consumer/persistent/public/default/t/s?receiverQueueSize=x")
                                << true << 400 << QByteArray("For input string: &quot;x&quot;");
    QTest::addRow("bad routing mode") << QByteArray("/ws/v2/producer/persistent/public/default/t?messageRoutingMode=X")
                                      << true << 400 << QByteArray("Invalid messageRoutingMode X");
    QTest::addRow("path too short") << QByteArray("/ws/v2/producer/persistent/public") << true << 500
                                    << QByteArray("IllegalArgumentException");
    QTest::addRow("bad domain") << QByteArray("/ws/v2/producer/durable/public/default/t") << true << 500
                                << QByteArray("Error 500");
    QTest::addRow("unknown path") << QByteArray("/ws/v9/producer/persistent/public/default/t") << true << 404
                                  << QByteArray("Error 404");
    QTest::addRow("plain GET on a WebSocket path")
        << QByteArray("/ws/v2/producer/persistent/public/default/t") << false << 405 << QByteArray("Error 405");
    QTest::addRow("v3 without topics") << QByteArray("/ws/v3/consumer/sub") << true << 500 << QByteArray("Error 500");
}

void TestProxyServer::handshakeRefusals()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, upgrade);
    QFETCH(int, status);
    QFETCH(QByteArray, bodyContains);
    ProxyFixture proxy;
    const HandshakeAnswer answer = rawHandshake(proxy.port(), target, {}, upgrade);
    QCOMPARE(answer.status, status);
    if (!answer.body.contains(bodyContains))
        qWarning() << answer.body;
    QVERIFY(answer.body.contains(bodyContains));
}

void TestProxyServer::exclusiveConflictGives409()
{
    ProxyFixture proxy;
    WsClient first(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("ex"), QStringLiteral("/sub"))));
    QVERIFY(first.waitConnected());
    const HandshakeAnswer second = rawHandshake(
        proxy.port(), v2(QStringLiteral("consumer"), QStringLiteral("ex"), QStringLiteral("/sub")).toUtf8());
    QCOMPARE(second.status, 409);
    QVERIFY(second.statusLine.endsWith("409 Conflict"));
    // The broker's refusal travels in the Java client's JSON form, as Pulsar sends it (spec 5.1).
    const QString message = Pulsar::extractHandshakeMessage(second.body);
    QVERIFY2(message.startsWith(QLatin1String("Failed to create producer/consumer: {\"errorMsg\":\"Exclusive consumer "
                                              "is already connected\",\"reqId\":")),
             qPrintable(message));
    QCOMPARE(Pulsar::readableHandshakeMessage(message),
             QStringLiteral("Failed to create producer/consumer: Exclusive consumer is already connected"));
    QCOMPARE(first.socket().state(), QAbstractSocket::ConnectedState);

    // A different subscription type on a subscription with live consumers is refused too.
    const HandshakeAnswer other = rawHandshake(
        proxy.port(),
        v2(QStringLiteral("consumer"), QStringLiteral("ex"), QStringLiteral("/sub?subscriptionType=Shared")).toUtf8());
    QCOMPARE(other.status, 409);
    QVERIFY(other.body.contains("Subscription is of different type"));
}

void TestProxyServer::producerNameConflictGives409()
{
    ProxyFixture proxy;
    const QString path = v2(QStringLiteral("producer"), QStringLiteral("pn"), QStringLiteral("?producerName=me"));
    WsClient first(proxy.url(path));
    QVERIFY(first.waitConnected());
    const HandshakeAnswer second = rawHandshake(proxy.port(), path.toUtf8());
    QCOMPARE(second.status, 409);
    QCOMPARE(
        Pulsar::readableHandshakeMessage(Pulsar::extractHandshakeMessage(second.body)),
        QStringLiteral("Failed to create producer/consumer: org.apache.pulsar.broker.service.BrokerServiceException"
                       "$NamingException: Producer with name 'me' is already connected to topic "
                       "'persistent://public/default/pn'"));
}

void TestProxyServer::pullModePermits()
{
    ProxyFixture proxy;
    const QString tail = QStringLiteral("/sub?pullMode=true&subscriptionType=Shared");
    WsClient a(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("pull"), tail)));
    WsClient b(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("pull"), tail)));
    QVERIFY(a.waitConnected());
    QVERIFY(b.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("pull"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 20; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 20);
    QTest::qWait(100);
    QCOMPARE(a.count(), 0); // nothing before permits
    QCOMPARE(b.count(), 0);

    QJsonObject permit;
    permit.insert(QStringLiteral("type"), QStringLiteral("permit"));
    permit.insert(QStringLiteral("permitMessages"), 3);
    a.send(permit);
    QTRY_COMPARE(a.count(), 3);
    permit.insert(QStringLiteral("permitMessages"), 2);
    for (int i = 0; i < 3; ++i)
        b.send(permit);
    QTRY_COMPARE(b.count(), 6);
    QTest::qWait(100);
    QCOMPARE(a.count(), 3);
    QCOMPARE(b.count(), 6);

    // Acks do not add credits in pull mode.
    for (const auto &m : a.messages()) {
        QJsonObject ack;
        ack.insert(QStringLiteral("messageId"), idOf(m));
        a.send(ack);
    }
    QTest::qWait(100);
    QCOMPARE(a.count(), 3);
}

void TestProxyServer::pushWindowStopsWithoutAcks()
{
    ProxyFixture proxy;
    WsClient consumer(
        proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("win"), QStringLiteral("/sub?receiverQueueSize=5"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("win"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 12; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 12);
    QTRY_COMPARE(consumer.count(), 5);
    QTest::qWait(100);
    QCOMPARE(consumer.count(), 5);
    // Any ack frees one slot, even a duplicate (spec 6.4).
    QJsonObject ack;
    ack.insert(QStringLiteral("messageId"), idOf(consumer.frames()[0]));
    consumer.send(ack);
    consumer.send(ack);
    QTRY_COMPARE(consumer.count(), 7);
    // Messages arrive in order.
    for (int i = 0; i < 7; ++i)
        QCOMPARE(payloadOf(consumer.frames()[i]), QByteArray::number(i));
}

void TestProxyServer::sharedRoundRobin()
{
    ProxyFixture proxy;
    const QString tail = QStringLiteral("/sub?subscriptionType=Shared");
    WsClient a(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("rr"), tail)));
    WsClient b(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("rr"), tail)));
    QVERIFY(a.waitConnected());
    QVERIFY(b.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("rr"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 10; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(a.count() + b.count(), 10);
    QCOMPARE(a.count(), 5);
    QCOMPARE(b.count(), 5);
}

void TestProxyServer::sharedAckFromAnotherConnection()
{
    ProxyFixture proxy;
    const QString tail = QStringLiteral("/sub?subscriptionType=Shared");
    auto a = std::make_unique<WsClient>(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("xack"), tail)));
    WsClient b(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("xack"), tail)));
    QVERIFY(a->waitConnected());
    QVERIFY(b.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("xack"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 10; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(a->count() + b.count(), 10);
    Proxy::Subscription *sub = proxy.broker()
                                   ->existingTopic(QStringLiteral("persistent://public/default/xack"))
                                   ->subscription(QStringLiteral("sub"));
    QCOMPARE(sub->unackedTotal(), 10);
    // b acks everything, a's messages too: the ids alone name the entries.
    for (const auto *client : {a.get(), &b}) {
        for (const auto &m : client->messages()) {
            QJsonObject ack;
            ack.insert(QStringLiteral("messageId"), idOf(m));
            b.send(ack);
        }
    }
    QTRY_COMPARE(sub->backlog(), qint64(0));
    QCOMPARE(sub->unackedTotal(), 0);
    // a leaves: nothing it got is handed out again, as nothing is unacked.
    const int before = b.count();
    a.reset();
    QTest::qWait(300);
    QCOMPARE(b.count(), before);
}

void TestProxyServer::failoverStandbyTakesOver()
{
    ProxyFixture proxy;
    const QString tail = QStringLiteral("/sub?subscriptionType=Failover&consumerName=");
    auto active = std::make_unique<WsClient>(
        proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("fo"), tail + QStringLiteral("a"))));
    WsClient standby(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("fo"), tail + QStringLiteral("b"))));
    QVERIFY(active->waitConnected());
    QVERIFY(standby.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("fo"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 5; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(active->count(), 5);
    QCOMPARE(standby.count(), 0);
    // The active consumer leaves without acking: the standby gets everything again.
    active.reset();
    QTRY_COMPARE(standby.count(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(payloadOf(standby.frames()[i]), QByteArray::number(i));
}

void TestProxyServer::keySharedKeepsKeyOnOneConsumer()
{
    ProxyFixture proxy;
    const QString tail = QStringLiteral("/sub?subscriptionType=Key_Shared");
    WsClient a(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("ks"), tail)));
    WsClient b(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("ks"), tail)));
    QVERIFY(a.waitConnected());
    QVERIFY(b.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("ks"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 60; ++i)
        producer.send(sendFrame(QByteArray::number(i), QString(), {}, QStringLiteral("key-%1").arg(i % 6)));
    QTRY_COMPARE(a.count() + b.count(), 60);
    QSet<QString> keysA, keysB;
    for (const auto &m : a.messages())
        keysA.insert(m.value(QLatin1String("key")).toString());
    for (const auto &m : b.messages())
        keysB.insert(m.value(QLatin1String("key")).toString());
    QVERIFY(!keysA.intersects(keysB));
    QCOMPARE(keysA.size() + keysB.size(), 6);
}

void TestProxyServer::negativeAckRedelivers()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("nack"),
                                   QStringLiteral("/sub?subscriptionType=Shared&negativeAckRedeliveryDelay=300"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("nack"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("once"));
    QTRY_COMPARE(consumer.count(), 1);
    QElapsedTimer timer;
    timer.start();
    QJsonObject nack;
    nack.insert(QStringLiteral("type"), QStringLiteral("negativeAcknowledge"));
    nack.insert(QStringLiteral("messageId"), idOf(consumer.frames()[0]));
    consumer.send(nack);
    QTRY_COMPARE(consumer.count(), 2);
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(idOf(consumer.frames()[1]), idOf(consumer.frames()[0]));
    QCOMPARE(consumer.frames()[1].value(QLatin1String("redeliveryCount")).toInt(), 1);
}

void TestProxyServer::deadLetterAfterMaxRedeliveries()
{
    ProxyFixture proxy;
    const QString dlq = QStringLiteral("persistent://public/default/dlq-target");
    WsClient consumer(proxy.url(
        v2(QStringLiteral("consumer"), QStringLiteral("dl"),
           QStringLiteral(
               "/sub?subscriptionType=Shared&maxRedeliverCount=1&negativeAckRedeliveryDelay=100&deadLetterTopic=") +
               QString::fromLatin1(QUrl::toPercentEncoding(dlq)))));
    QVERIFY(consumer.waitConnected());
    WsClient dlqConsumer(
        proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("dlq-target"), QStringLiteral("/dsub"))));
    QVERIFY(dlqConsumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("dl"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("doomed"));

    int nacked = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            while (nacked < consumer.count()) {
                QJsonObject nack;
                nack.insert(QStringLiteral("type"), QStringLiteral("negativeAcknowledge"));
                nack.insert(QStringLiteral("messageId"), idOf(consumer.frames()[nacked++]));
                consumer.send(nack);
            }
            return dlqConsumer.count() == 1;
        }(),
        5000);
    QTest::qWait(300);
    // Delivered twice on the main subscription, then once on the dead-letter topic (spec 8 item 14).
    QCOMPARE(consumer.count(), 2);
    QCOMPARE(dlqConsumer.count(), 1);
    QCOMPARE(payloadOf(dlqConsumer.frames()[0]), QByteArray("doomed"));
}

void TestProxyServer::readerFromEarliestAndWindow()
{
    ProxyFixture proxy;
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("rd"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 8; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 8);
    WsClient reader(proxy.url(
        v2(QStringLiteral("reader"), QStringLiteral("rd"), QStringLiteral("?messageId=earliest&receiverQueueSize=3"))));
    QVERIFY(reader.waitConnected());
    QTRY_COMPARE(reader.count(), 3);
    QTest::qWait(100);
    QCOMPARE(reader.count(), 3);
    reader.sendRaw(QStringLiteral("{}")); // any frame frees a slot (spec 3.6)
    QTRY_COMPARE(reader.count(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(payloadOf(reader.frames()[i]), QByteArray::number(i));

    // Starting after a given id.
    const QString third = idOf(producer.frames()[2]);
    WsClient after(proxy.url(v2(QStringLiteral("reader"), QStringLiteral("rd"),
                                QStringLiteral("?messageId=") + QString::fromLatin1(QUrl::toPercentEncoding(third)))));
    QVERIFY(after.waitConnected());
    QTRY_COMPARE(after.count(), 5);
    QCOMPARE(payloadOf(after.frames()[0]), QByteArray("3"));
}

void TestProxyServer::endOfTopicAfterTerminate()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("eot"), QStringLiteral("/sub"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("eot"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("x"));
    QTRY_COMPARE(consumer.count(), 1);
    QJsonObject ask;
    ask.insert(QStringLiteral("type"), QStringLiteral("isEndOfTopic"));
    consumer.send(ask);
    QTRY_COMPARE(consumer.count(), 2);
    QCOMPARE(consumer.raw().last(), QStringLiteral("{\"endOfTopic\":false}"));

    qint64 last = -1;
    Proxy::BrokerError error;
    QVERIFY(proxy.broker()->terminate(*Pulsar::TopicName::parse(QStringLiteral("eot")), &last, &error));
    QCOMPARE(last, 0);
    consumer.send(ask);
    QTRY_COMPARE(consumer.count(), 3);
    QCOMPARE(consumer.raw().last(), QStringLiteral("{\"endOfTopic\":true}"));
    // A producer on a terminated topic is refused with 503 (spec 8 item 10).
    const HandshakeAnswer refused =
        rawHandshake(proxy.port(), v2(QStringLiteral("producer"), QStringLiteral("eot")).toUtf8());
    QCOMPARE(refused.status, 503);
}

void TestProxyServer::unsubscribeRemovesSubscription()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("unsub"), QStringLiteral("/gone"))));
    QVERIFY(consumer.waitConnected());
    Proxy::Topic *topic = proxy.broker()->existingTopic(QStringLiteral("persistent://public/default/unsub"));
    QVERIFY(topic);
    QVERIFY(topic->subscription(QStringLiteral("gone")));
    QJsonObject unsubscribe;
    unsubscribe.insert(QStringLiteral("type"), QStringLiteral("unsubscribe"));
    consumer.send(unsubscribe);
    QTRY_VERIFY(!topic->subscription(QStringLiteral("gone")));
    QCOMPARE(consumer.socket().state(), QAbstractSocket::ConnectedState); // the session stays open
}

void TestProxyServer::producerErrorAcks()
{
    ProxyFixture proxy;
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("errs"))));
    QVERIFY(producer.waitConnected());
    producer.sendRaw(QStringLiteral("not json"));
    QTRY_COMPARE(producer.count(), 1);
    QCOMPARE(producer.frames()[0].value(QLatin1String("result")).toString(), QStringLiteral("send-error:3"));
    QVERIFY(!producer.frames()[0].contains(QLatin1String("context")));

    producer.sendRaw(QStringLiteral("{\"payload\":\"-_-_\",\"context\":\"c1\"}"));
    QTRY_COMPARE(producer.count(), 2);
    QCOMPARE(producer.frames()[1].value(QLatin1String("result")).toString(), QStringLiteral("send-error:7"));
    QCOMPARE(producer.frames()[1].value(QLatin1String("context")).toString(), QStringLiteral("c1"));

    producer.sendRaw(QStringLiteral("{\"context\":5}"));
    QTRY_COMPARE(producer.count(), 3);
    QCOMPARE(producer.frames()[2].value(QLatin1String("result")).toString(), QStringLiteral("send-error:7"));
    QCOMPARE(producer.frames()[2].value(QLatin1String("context")).toString(), QStringLiteral("5"));
    QCOMPARE(producer.socket().state(), QAbstractSocket::ConnectedState); // errors never close a producer
}

void TestProxyServer::oversizedFrameCloses1009()
{
    Proxy::ServiceConfig service;
    service.maxTextFrameBytes = 4096;
    ProxyFixture proxy({}, service);
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("big"))));
    QVERIFY(producer.waitConnected());
    QSignalSpy closed(&producer.socket(), &QWebSocket::disconnected);
    producer.send(sendFrame(QByteArray(8192, 'x')));
    QVERIFY(closed.wait(5000));
    QCOMPARE(int(producer.socket().closeCode()), 1009);
}

void TestProxyServer::messagesAndCursorSurviveRestart()
{
    ProxyFixture proxy({}, {}, Proxy::StoreOptions::Always);
    {
        WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("dur"), QStringLiteral("/keep"))));
        QVERIFY(consumer.waitConnected());
        WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("dur"))));
        QVERIFY(producer.waitConnected());
        for (int i = 0; i < 6; ++i)
            producer.send(sendFrame(QByteArray::number(i)));
        QTRY_COMPARE(consumer.count(), 6);
        // Ack the first three only.
        for (int i = 0; i < 3; ++i) {
            QJsonObject ack;
            ack.insert(QStringLiteral("messageId"), idOf(consumer.frames()[i]));
            consumer.send(ack);
        }
        QTRY_COMPARE(proxy.broker()
                         ->existingTopic(QStringLiteral("persistent://public/default/dur"))
                         ->subscription(QStringLiteral("keep"))
                         ->markDeleteEntryId(),
                     qint64(2));
        // And the store has it while the service runs, not only after a clean stop (a kill -9 would lose it).
        QTRY_COMPARE(proxy.store()
                         ->cursors(QStringLiteral("persistent://public/default/dur"))
                         .value(QStringLiteral("keep"))
                         .markDeleteEntryId,
                     qint64(2));
    }
    QVERIFY(proxy.restart());
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("dur"), QStringLiteral("/keep"))));
    QVERIFY(consumer.waitConnected());
    QTRY_COMPARE(consumer.count(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(payloadOf(consumer.frames()[i]), QByteArray::number(i + 3));
    // A reader from earliest still sees all six.
    WsClient reader(
        proxy.url(v2(QStringLiteral("reader"), QStringLiteral("dur"), QStringLiteral("?messageId=earliest"))));
    QVERIFY(reader.waitConnected());
    QTRY_COMPARE(reader.count(), 6);
}

void TestProxyServer::partitionedTopicRoutesAndConsumes()
{
    ProxyFixture proxy;
    Proxy::BrokerError error;
    QVERIFY(proxy.broker()->createPartitionedTopic(*Pulsar::TopicName::parse(QStringLiteral("parts")), 3, &error));
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("parts"), QStringLiteral("/sub"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("parts"),
                                   QStringLiteral("?messageRoutingMode=RoundRobinPartition"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 30; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 30);
    QTRY_COMPARE(consumer.count(), 30);
    QSet<int> partitions;
    for (const auto &ack : producer.frames()) {
        const QByteArray bytes = QByteArray::fromBase64(idOf(ack).toLatin1());
        // Field 3 (partition) is present: tag 0x18 after ledger and entry.
        const int tag = bytes.indexOf(char(0x18));
        QVERIFY(tag > 0);
        partitions.insert(int(bytes.at(tag + 1)));
    }
    QCOMPARE(partitions, QSet<int>({0, 1, 2}));
}

void TestProxyServer::nonPersistentTopicIdsAreZero()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(QStringLiteral("/ws/v2/consumer/non-persistent/public/default/np/sub")));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(QStringLiteral("/ws/v2/producer/non-persistent/public/default/np")));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("live"));
    QTRY_COMPARE(consumer.count(), 1);
    QCOMPARE(idOf(producer.frames()[0]), QStringLiteral("CAAQADAA"));
    QCOMPARE(idOf(consumer.frames()[0]), QStringLiteral("CAAQADAA"));
}

void TestProxyServer::idleSessionIsClosed()
{
    Proxy::ServiceConfig service;
    service.idleTimeoutMs = 300;
    ProxyFixture proxy({}, service);
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("idle"))));
    QVERIFY(producer.waitConnected());
    QSignalSpy closed(&producer.socket(), &QWebSocket::disconnected);
    QVERIFY(closed.wait(3000));
    QCOMPARE(int(producer.socket().closeCode()), 1001);
    QVERIFY(producer.socket().closeReason().contains(QLatin1String("Idle timeout expired: 300/300 ms")));
}

void TestProxyServer::serverPingKeepsSessionAlive()
{
    Proxy::ServiceConfig service;
    service.idleTimeoutMs = 1500;
    service.serverPingSeconds = 1;
    ProxyFixture proxy({}, service);
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("ping"))));
    QVERIFY(producer.waitConnected());
    QSignalSpy closed(&producer.socket(), &QWebSocket::disconnected);
    // Three idle timeouts long: the server's pings (answered by Qt with pongs) keep it open (spec 8 item 27).
    QVERIFY(!closed.wait(4500));
    QCOMPARE(producer.socket().state(), QAbstractSocket::ConnectedState);
}

void TestProxyServer::clientPingGetsPong()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("pp"), QStringLiteral("/sub"))));
    QVERIFY(consumer.waitConnected());
    QSignalSpy pong(&consumer.socket(), &QWebSocket::pong);
    consumer.socket().ping(QByteArrayLiteral("hello"));
    QVERIFY(pong.wait(3000));
    QCOMPARE(pong.first().at(1).toByteArray(), QByteArray("hello"));
}

void TestProxyServer::multiTopicConsumer()
{
    ProxyFixture proxy;
    WsClient p1(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("mt-one"))));
    WsClient p2(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("mt-two"))));
    QVERIFY(p1.waitConnected());
    QVERIFY(p2.waitConnected());
    for (int i = 0; i < 10; ++i) {
        p1.send(sendFrame("one" + QByteArray::number(i)));
        p2.send(sendFrame("two" + QByteArray::number(i)));
    }
    QTRY_COMPARE(p1.count() + p2.count(), 20);

    WsClient byList(proxy.url(QStringLiteral("/ws/v3/consumer/sub1?subscriptionInitialPosition=Earliest&topics=") +
                              QStringLiteral("mt-one,public/default/mt-two")));
    QVERIFY(byList.waitConnected());
    QTRY_COMPARE(byList.count(), 20);
    for (const auto &m : byList.messages()) {
        QJsonObject ack;
        ack.insert(QStringLiteral("messageId"), idOf(m));
        byList.send(ack);
    }
    const auto backlogOf = [&](const QString &topic) {
        return proxy.broker()->existingTopic(topic)->subscription(QStringLiteral("sub1"))->backlog();
    };
    QTRY_COMPARE(backlogOf(QStringLiteral("persistent://public/default/mt-one")), qint64(0));
    QTRY_COMPARE(backlogOf(QStringLiteral("persistent://public/default/mt-two")), qint64(0));

    WsClient byPattern(
        proxy.url(QStringLiteral("/ws/v3/consumer/sub2?subscriptionInitialPosition=Earliest&topicsPattern=") +
                  QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("public/default/mt-.*")))));
    QVERIFY(byPattern.waitConnected());
    QTRY_COMPARE(byPattern.count(), 20);
}

void TestProxyServer::ackTimeoutRedelivers()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("ato"),
                                   QStringLiteral("/sub?subscriptionType=Shared&ackTimeoutMillis=1000"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("ato"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("unacked"));
    QTRY_COMPARE(consumer.count(), 1);
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(consumer.count(), 2, 4000);
    QVERIFY(timer.elapsed() >= 900);
    QCOMPARE(idOf(consumer.frames()[1]), idOf(consumer.frames()[0]));
    QCOMPARE(consumer.frames()[1].value(QLatin1String("redeliveryCount")).toInt(), 1);
}

void TestProxyServer::delayedDeliveryOnShared()
{
    ProxyFixture proxy;
    WsClient consumer(proxy.url(
        v2(QStringLiteral("consumer"), QStringLiteral("delay"), QStringLiteral("/sub?subscriptionType=Shared"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("delay"))));
    QVERIFY(producer.waitConnected());
    QJsonObject delayed = sendFrame("later");
    delayed.insert(QStringLiteral("deliverAfterMs"), 600);
    QElapsedTimer timer;
    timer.start();
    producer.send(delayed);
    producer.send(sendFrame("now"));
    QTRY_COMPARE(consumer.count(), 1);
    QCOMPARE(payloadOf(consumer.frames()[0]), QByteArray("now"));
    QTRY_COMPARE_WITH_TIMEOUT(consumer.count(), 2, 3000);
    QVERIFY(timer.elapsed() >= 550);
    QCOMPARE(payloadOf(consumer.frames()[1]), QByteArray("later"));
}

void TestProxyServer::nonDurableSubscriptionGoesAwayWithItsConsumer()
{
    ProxyFixture proxy;
    {
        WsClient consumer(proxy.url(
            v2(QStringLiteral("consumer"), QStringLiteral("nd"), QStringLiteral("/tmp?subscriptionMode=NonDurable"))));
        QVERIFY(consumer.waitConnected());
        QVERIFY(proxy.broker()
                    ->existingTopic(QStringLiteral("persistent://public/default/nd"))
                    ->subscription(QStringLiteral("tmp")));
    }
    QTRY_VERIFY(!proxy.broker()
                     ->existingTopic(QStringLiteral("persistent://public/default/nd"))
                     ->subscription(QStringLiteral("tmp")));
}

void TestProxyServer::initialPositionEarliestAndLatest()
{
    ProxyFixture proxy;
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("pos"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("before"));
    QTRY_COMPARE(producer.count(), 1);
    WsClient latest(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("pos"), QStringLiteral("/latest"))));
    WsClient earliest(proxy.url(v2(QStringLiteral("consumer"), QStringLiteral("pos"),
                                   QStringLiteral("/earliest?subscriptionInitialPosition=Earliest"))));
    QVERIFY(latest.waitConnected());
    QVERIFY(earliest.waitConnected());
    producer.send(sendFrame("after"));
    QTRY_COMPARE(earliest.count(), 2);
    QTRY_COMPARE(latest.count(), 1);
    QCOMPARE(payloadOf(latest.frames()[0]), QByteArray("after"));
    QCOMPARE(payloadOf(earliest.frames()[0]), QByteArray("before"));
}

void TestProxyServer::pendingSendBoundGivesSendError8()
{
    Proxy::BrokerConfig config;
    config.maxPendingPerProducer = 2;
    ProxyFixture proxy(config, {}, Proxy::StoreOptions::Always);
    WsClient producer(proxy.url(v2(QStringLiteral("producer"), QStringLiteral("bound"))));
    QVERIFY(producer.waitConnected());
    // All sent before the store can commit any: the third and later find the bound reached.
    for (int i = 0; i < 50; ++i)
        producer.send(sendFrame(QByteArray(512, 'x'), QString::number(i)));
    QTRY_COMPARE(producer.count(), 50);
    int refused = 0;
    for (const auto &ack : producer.frames()) {
        if (ack.value(QLatin1String("result")).toString() == QLatin1String("send-error:8")) {
            ++refused;
            QCOMPARE(ack.value(QLatin1String("errorMsg")).toString(), QStringLiteral("Producer send queue is full"));
        }
    }
    QVERIFY(refused > 0);
    QVERIFY(refused < 50);
}

void TestProxyServer::unknownTopicRefusedWhenAutoCreationIsOff()
{
    Proxy::BrokerConfig config;
    config.autoCreateTopics = false;
    config.autoCreateNamespaces = false;
    ProxyFixture proxy(config);
    // Spec 8 item 8: producer and consumer upgrades give 404.
    QCOMPARE(rawHandshake(proxy.port(), v2(QStringLiteral("producer"), QStringLiteral("missing")).toUtf8()).status,
             404);
    QCOMPARE(rawHandshake(proxy.port(),
                          v2(QStringLiteral("consumer"), QStringLiteral("missing"), QStringLiteral("/s")).toUtf8())
                 .status,
             404);
    QCOMPARE(rawHandshake(proxy.port(), QByteArrayLiteral("/ws/v2/producer/persistent/nobody/nowhere/t")).status, 404);
}

void TestProxyServer::encodedNamesSurvive()
{
    ProxyFixture proxy;
    // Spec 8 item 32: special characters and CJK in topic and subscription names.
    const QString topic = QStringLiteral("t [x]<y> 主题+z");
    const QString sub = QStringLiteral("s 订阅+1");
    const QString enc = Pulsar::TopicName::encodeComponent(topic);
    WsClient consumer(proxy.url(QStringLiteral("/ws/v2/consumer/persistent/public/default/") + enc + QLatin1Char('/') +
                                Pulsar::TopicName::encodeComponent(sub)));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(QStringLiteral("/ws/v2/producer/persistent/public/default/") + enc));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("hi"));
    QTRY_COMPARE(consumer.count(), 1);
    Proxy::Topic *t = proxy.broker()->existingTopic(QStringLiteral("persistent://public/default/") + topic);
    QVERIFY(t);
    QVERIFY(t->subscription(sub));
}

QTEST_GUILESS_MAIN(TestProxyServer)
#include "tst_proxyserver.moc"
