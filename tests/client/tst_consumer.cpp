// ConsumerSession against the bundled proxy: batched delivery, acks (single, list, ackUpTo) with the unacked set
// and what the server redelivers afterwards, negative acks with redelivery counts, auto-ack, pull mode with
// permits, unsubscribe, the end-of-topic query, the v3 multi-topic form, and a consumer that lives through a
// kill -9 and restart of the real pulsar-desk-proxy process while messages flow.
#include "clienttestsupport.h"
#include "proxyprocess.h"

#include "client/consumersession.h"
#include "client/producersession.h"

#include <QSet>
#include <QtTest>

using namespace Pulsar;
using namespace ClientTest;

namespace {

template<typename Session>
bool waitState(Session *session, ChannelState state, int ms = kWaitMs)
{
    return QTest::qWaitFor([&] { return session->status().state == state; }, ms);
}

// Everything a consumer delivered, batch by batch.
class Collector
{
public:
    explicit Collector(ConsumerSession *consumer)
    {
        QObject::connect(consumer, &ConsumerSession::messagesReceived, consumer,
                         [this](const QList<ReceivedMessage> &batch) {
                             m_batchSizes.append(int(batch.size()));
                             m_messages += batch;
                         });
    }
    const QList<ReceivedMessage> &messages() const { return m_messages; }
    const QList<int> &batchSizes() const { return m_batchSizes; }
    int count() const { return int(m_messages.size()); }
    QByteArrayList payloads() const
    {
        QByteArrayList list;
        for (const ReceivedMessage &m : m_messages)
            list.append(m.message.payload);
        return list;
    }
    bool waitCount(int n) const
    {
        return QTest::qWaitFor([&] { return count() >= n; }, kWaitMs) && count() == n;
    }

private:
    QList<ReceivedMessage> m_messages;
    QList<int> m_batchSizes;
};

// Publishes payloads and waits for every ack.
bool publish(const ConnectionProfile &profile, const TopicName &topic, const QByteArrayList &payloads)
{
    ProducerSession producer(profile, topic);
    int ok = 0;
    int failed = 0;
    QObject::connect(&producer, &ProducerSession::sendFinished, &producer,
                     [&](const SendResult &r) { (r.ok ? ok : failed)++; });
    producer.open();
    for (const QByteArray &payload : payloads) {
        OutgoingMessage m;
        m.payload = payload;
        if (!producer.send(m).accepted())
            return false;
    }
    return QTest::qWaitFor([&] { return ok + failed == payloads.size(); }, kWaitMs) && failed == 0;
}

QByteArrayList numbered(const QByteArray &prefix, int from, int to)
{
    QByteArrayList list;
    for (int i = from; i < to; ++i)
        list.append(prefix + QByteArray::number(i));
    return list;
}

ConsumerSettings earliest()
{
    ConsumerSettings settings;
    settings.options.subscriptionInitialPosition = InitialPosition::Earliest;
    settings.delivery.maxBatchDelayMs = 20;
    settings.channel = fastPolicy();
    return settings;
}

// For the next consumer on a subscription whose consumer has just closed. Pulsar's WebSocket service closes the
// broker-side consumer asynchronously, so for a moment the Exclusive subscription can still refuse with 409
// ("Exclusive consumer is already connected"); the new session retries as a program reconnecting would.
ConsumerSettings resubscribing(ConsumerSettings settings)
{
    settings.channel.retryInitialConnect = true;
    return settings;
}

} // namespace

class TestConsumer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchedDelivery();
    void acksAndUnackedSet();
    void ackUpTo();
    void negativeAckRedelivers();
    void autoAck();
    void pullModePermits();
    void unsubscribe();
    void endOfTopic();
    void multiTopic();
    void reconnectWhileFlowing();
};

void TestConsumer::batchedDelivery()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("batch"));
    const QByteArrayList payloads = numbered("m", 0, 600);
    QVERIFY(publish(target.profile(), topic, payloads));
    ConsumerSettings settings = earliest();
    settings.delivery.maxBatchMessages = 100;
    settings.delivery.maxBatchDelayMs = 50;
    settings.autoAck = true;
    ConsumerSession consumer(target.profile(), Endpoint::consumer(topic, QStringLiteral("s")), settings);
    Collector collector(&consumer);
    consumer.open();
    QVERIFY(collector.waitCount(600));
    QCOMPARE(collector.payloads(), payloads); // in order, each once
    // Never one signal per message: batches are capped at 100 and far fewer than the messages.
    QVERIFY2(collector.batchSizes().size() <= 60, qPrintable(QString::number(collector.batchSizes().size())));
    for (int size : collector.batchSizes())
        QVERIFY(size >= 1 && size <= 100);
}

void TestConsumer::acksAndUnackedSet()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("acks"));
    QVERIFY(publish(target.profile(), topic, numbered("a", 0, 6)));
    const Endpoint endpoint = Endpoint::consumer(topic, QStringLiteral("s"));
    {
        ConsumerSession consumer(target.profile(), endpoint, earliest());
        Collector collector(&consumer);
        consumer.open();
        QVERIFY(collector.waitCount(6));
        QCOMPARE(consumer.unackedCount(), 6);
        const QList<ReceivedMessage> &m = collector.messages();
        for (const ReceivedMessage &r : m) {
            QVERIFY(!r.redelivered);
            QCOMPARE(consumer.redeliveryCount(r.message.messageId), 0);
        }
        QVERIFY(consumer.ack(m.at(0).message.messageId));
        QCOMPARE(consumer.ack(QStringList{m.at(2).message.messageId, m.at(4).message.messageId}), 2);
        QVERIFY(consumer.ack(m.at(5).id));
        QVERIFY(!consumer.ack(m.at(0).message.messageId)); // already acked
        QCOMPARE(consumer.unackedCount(), 2);
        QSet<QString> unacked;
        for (const UnackedMessage &u : consumer.unacked())
            unacked.insert(u.messageIdText);
        QCOMPARE(unacked, (QSet<QString>{m.at(1).message.messageId, m.at(3).message.messageId}));
        // The acks reached the server before the close: an isEndOfTopic answer comes after them.
        QSignalSpy answered(&consumer, &ConsumerSession::endOfTopicReceived);
        QVERIFY(consumer.queryEndOfTopic());
        QVERIFY(answered.wait(kWaitMs));
        consumer.close();
    }
    // A new consumer on the subscription gets exactly the two unacked ones again.
    ConsumerSession again(target.profile(), endpoint, resubscribing(earliest()));
    Collector collector(&again);
    again.open();
    QVERIFY(collector.waitCount(2));
    QCOMPARE(collector.payloads(), (QByteArrayList{"a1", "a3"}));
    QVERIFY(publish(target.profile(), topic, {"marker"}));
    QVERIFY(collector.waitCount(3));
}

void TestConsumer::ackUpTo()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("upto"));
    QVERIFY(publish(target.profile(), topic, numbered("u", 0, 10)));
    const Endpoint endpoint = Endpoint::consumer(topic, QStringLiteral("s"));
    {
        ConsumerSession consumer(target.profile(), endpoint, earliest());
        Collector collector(&consumer);
        consumer.open();
        QVERIFY(collector.waitCount(10));
        QVERIFY(consumer.ack(collector.messages().at(2).message.messageId));
        QCOMPARE(consumer.ackUpTo(collector.messages().at(5).id), 5); // 0,1,3,4,5
        QCOMPARE(consumer.unackedCount(), 4);
        QSignalSpy answered(&consumer, &ConsumerSession::endOfTopicReceived);
        QVERIFY(consumer.queryEndOfTopic());
        QVERIFY(answered.wait(kWaitMs));
    }
    ConsumerSession again(target.profile(), endpoint, resubscribing(earliest()));
    Collector collector(&again);
    again.open();
    QVERIFY(collector.waitCount(4));
    QCOMPARE(collector.payloads(), numbered("u", 6, 10));
}

void TestConsumer::negativeAckRedelivers()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("nack"));
    QVERIFY(publish(target.profile(), topic, {"n0", "n1"}));
    ConsumerSettings settings = earliest();
    settings.options.subscriptionType = SubscriptionType::Shared;
    settings.options.negativeAckRedeliveryDelay = 100;
    ConsumerSession consumer(target.profile(), Endpoint::consumer(topic, QStringLiteral("s")), settings);
    Collector collector(&consumer);
    consumer.open();
    QVERIFY(collector.waitCount(2));
    const ReceivedMessage first = collector.messages().at(0);
    QVERIFY(consumer.negativeAck(first.message.messageId));
    QCOMPARE(consumer.unackedCount(), 1);
    QVERIFY(collector.waitCount(3));
    const ReceivedMessage back = collector.messages().at(2);
    QCOMPARE(back.message.payload, first.message.payload);
    QCOMPARE(back.message.messageId, first.message.messageId);
    QVERIFY(back.redelivered);
    QCOMPARE(back.message.redeliveryCount, 1);
    QCOMPARE(consumer.redeliveryCount(back.message.messageId), 1);
    QCOMPARE(consumer.unackedCount(), 2);
}

void TestConsumer::autoAck()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("auto"));
    QVERIFY(publish(target.profile(), topic, numbered("x", 0, 20)));
    const Endpoint endpoint = Endpoint::consumer(topic, QStringLiteral("s"));
    ConsumerSettings settings = earliest();
    settings.autoAck = true;
    {
        ConsumerSession consumer(target.profile(), endpoint, settings);
        Collector collector(&consumer);
        consumer.open();
        QVERIFY(collector.waitCount(20));
        QCOMPARE(consumer.unackedCount(), 0);
        QSignalSpy answered(&consumer, &ConsumerSession::endOfTopicReceived);
        QVERIFY(consumer.queryEndOfTopic());
        QVERIFY(answered.wait(kWaitMs));
    }
    ConsumerSession again(target.profile(), endpoint, resubscribing(earliest()));
    Collector collector(&again);
    again.open();
    QVERIFY(waitState(&again, ChannelState::Connected));
    QVERIFY(publish(target.profile(), topic, {"marker"}));
    QVERIFY(collector.waitCount(1));
    QCOMPARE(collector.payloads(), QByteArrayList{"marker"});
}

void TestConsumer::pullModePermits()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("pull"));
    QVERIFY(publish(target.profile(), topic, numbered("p", 0, 10)));
    ConsumerSettings settings = earliest();
    settings.options.pullMode = true;
    settings.options.subscriptionType = SubscriptionType::Shared;
    ConsumerSession consumer(target.profile(), Endpoint::consumer(topic, QStringLiteral("s")), settings);
    Collector collector(&consumer);
    QSignalSpy answered(&consumer, &ConsumerSession::endOfTopicReceived);
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Connected));
    QVERIFY(consumer.queryEndOfTopic());
    QVERIFY(answered.wait(kWaitMs));
    QCOMPARE(collector.count(), 0); // nothing without permits
    QVERIFY(!consumer.permit(0));
    QVERIFY(consumer.permit(3));
    QVERIFY(collector.waitCount(3));
    QCOMPARE(consumer.outstandingPermits(), 0);
    QVERIFY(consumer.queryEndOfTopic());
    QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 2, kWaitMs);
    QCOMPARE(collector.count(), 3);
    QVERIFY(consumer.permit(2));
    QVERIFY(consumer.permit(2));
    QVERIFY(collector.waitCount(7));
    QCOMPARE(collector.payloads(), numbered("p", 0, 7));
}

void TestConsumer::unsubscribe()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("unsub"));
    const Endpoint endpoint = Endpoint::consumer(topic, QStringLiteral("s"));
    {
        ConsumerSession consumer(target.profile(), endpoint, earliest());
        Collector collector(&consumer);
        QSignalSpy done(&consumer, &ConsumerSession::unsubscribed);
        consumer.open();
        QVERIFY(waitState(&consumer, ChannelState::Connected));
        QVERIFY(publish(target.profile(), topic, {"u0", "u1", "u2"}));
        QVERIFY(collector.waitCount(3)); // delivered, never acked
        QVERIFY(consumer.unsubscribe());
        QVERIFY(done.wait(kWaitMs));
        QCOMPARE(consumer.status().state, ChannelState::Closed);
    }
    // Had the subscription survived, its three unacked messages would come back; it was re-created instead.
    ConsumerSettings latest;
    latest.delivery.maxBatchDelayMs = 20;
    ConsumerSession again(target.profile(), endpoint, resubscribing(latest));
    Collector collector(&again);
    again.open();
    QVERIFY(waitState(&again, ChannelState::Connected));
    QVERIFY(publish(target.profile(), topic, {"marker"}));
    QVERIFY(collector.waitCount(1));
    QCOMPARE(collector.payloads(), QByteArrayList{"marker"});
}

void TestConsumer::endOfTopic()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("eot"));
    QVERIFY(publish(target.profile(), topic, {"e0"}));
    ConsumerSettings settings = earliest();
    settings.autoAck = true;
    ConsumerSession consumer(target.profile(), Endpoint::consumer(topic, QStringLiteral("s")), settings);
    Collector collector(&consumer);
    QSignalSpy answers(&consumer, &ConsumerSession::endOfTopicReceived);
    consumer.open();
    QVERIFY(collector.waitCount(1));
    QVERIFY(consumer.queryEndOfTopic());
    QVERIFY(answers.wait(kWaitMs));
    QCOMPARE(answers.last().first().toBool(), false);
    if (!target.proxy())
        return; // terminating needs the admin API: the proxy-specific half
    qint64 lastEntry = -1;
    Proxy::BrokerError error;
    QVERIFY(target.proxy()->broker()->terminate(topic, &lastEntry, &error));
    QVERIFY(consumer.queryEndOfTopic());
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 2, kWaitMs);
    QCOMPARE(answers.last().first().toBool(), true);
}

void TestConsumer::multiTopic()
{
    ClientTarget target;
    const TopicName t1 = ClientTarget::topic(QStringLiteral("multi"));
    const TopicName t2 = ClientTarget::topic(QStringLiteral("multi"));
    QVERIFY(publish(target.profile(), t1, {"one-a", "one-b"}));
    QVERIFY(publish(target.profile(), t2, {"two-a"}));
    ConsumerSession consumer(target.profile(), Endpoint::multiTopic(QStringLiteral("s"), {t1, t2}), earliest());
    Collector collector(&consumer);
    consumer.open();
    QVERIFY(collector.waitCount(3));
    QByteArrayList payloads = collector.payloads();
    std::sort(payloads.begin(), payloads.end());
    QCOMPARE(payloads, (QByteArrayList{"one-a", "one-b", "two-a"}));
    QCOMPARE(consumer.unackedCount(), 3);
    QStringList ids;
    for (const ReceivedMessage &m : collector.messages())
        ids.append(m.message.messageId);
    QCOMPARE(consumer.ack(ids), 3);
    QCOMPARE(consumer.unackedCount(), 0);
}

void TestConsumer::reconnectWhileFlowing()
{
    SKIP_IF_EXTERNAL();
    QTemporaryDir dataDir;
    ProxyProcess proxy(dataDir.path());
    QVERIFY(proxy.start());
    const quint16 port = proxy.port();
    ConnectionProfile profile;
    profile.serviceUrl = proxy.url();
    const TopicName topic = ClientTarget::topic(QStringLiteral("restart"));

    ConsumerSettings settings = earliest();
    ConsumerSession consumer(profile, Endpoint::consumer(topic, QStringLiteral("s")), settings);
    QList<ReceivedMessage> received;
    QSet<QByteArray> held; // the first five are left unacked until after the restart
    connect(&consumer, &ConsumerSession::messagesReceived, this, [&](const QList<ReceivedMessage> &batch) {
        for (const ReceivedMessage &m : batch) {
            received.append(m);
            const int n = m.message.payload.mid(1).toInt();
            if (n < 5 && !m.redelivered)
                held.insert(m.message.payload);
            else
                consumer.ack(m.message.messageId);
        }
    });
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Connected));

    ProducerSettings producerSettings;
    producerSettings.channel = fastPolicy();
    ProducerSession producer(profile, topic, producerSettings);
    QSet<QByteArray> stored; // acked ok: must reach the consumer
    int finished = 0;
    QHash<QString, QByteArray> payloadOf;
    connect(&producer, &ProducerSession::sendFinished, this, [&](const SendResult &r) {
        ++finished;
        if (r.ok)
            stored.insert(payloadOf.value(r.context));
        else
            QCOMPARE(r.error.code, ClientErrorCode::InFlightLost);
    });
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Connected));

    // A steady flow, driven by a timer so that it keeps going across the restart.
    int next = 0;
    const int total = 400;
    QTimer pacer;
    connect(&pacer, &QTimer::timeout, this, [&] {
        for (int i = 0; i < 10 && next < total && producer.canSend(); ++i) {
            OutgoingMessage m;
            m.payload = 'r' + QByteArray::number(next);
            const SendTicket ticket = producer.send(m);
            if (!ticket.accepted())
                break;
            payloadOf.insert(ticket.context, m.payload);
            ++next;
        }
    });
    pacer.start(5);

    QTRY_VERIFY_WITH_TIMEOUT(stored.size() >= 100 && held.size() == 5, kWaitMs);
    proxy.kill();
    QTRY_VERIFY_WITH_TIMEOUT(consumer.status().state == ChannelState::Reconnecting, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(producer.status().state == ChannelState::Reconnecting, kWaitMs);
    QVERIFY(proxy.start(port));

    QTRY_VERIFY_WITH_TIMEOUT(next == total && finished == total, 60000);
    // The producer may finish while the consumer is still between reconnect attempts (its first try can meet the
    // restarting service's closed port), so its second connection is waited for, not assumed.
    QTRY_VERIFY_WITH_TIMEOUT(consumer.channel()->connectionCount() >= 2, kWaitMs);
    QVERIFY(producer.channel()->connectionCount() >= 2);
    // Every message the service acknowledged reaches the consumer (at least once).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSet<QByteArray> seen;
            for (const ReceivedMessage &m : received)
                seen.insert(m.message.payload);
            return seen.contains(stored);
        }(),
        kWaitMs);
    // The five held back came again after the restart, flagged as redelivered.
    for (const QByteArray &payload : std::as_const(held)) {
        int deliveries = 0;
        bool flagged = false;
        for (const ReceivedMessage &m : received) {
            if (m.message.payload == payload) {
                ++deliveries;
                flagged = flagged || m.redelivered;
            }
        }
        QVERIFY2(deliveries >= 2 && flagged, payload.constData());
    }
    QVERIFY(stored.size() >= 100);
}

QTEST_GUILESS_MAIN(TestConsumer)
#include "tst_consumer.moc"
