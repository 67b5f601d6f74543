// ReaderSession against the bundled proxy: start at earliest, latest and after a message id, the push window
// kept moving without the caller doing anything (a window of 5 carries 200 messages), the end-of-topic query,
// and resuming after the last delivered message when the connection drops.
#include "clienttestsupport.h"
#include "proxyprocess.h"

#include "client/producersession.h"
#include "client/readersession.h"

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

class Collector
{
public:
    explicit Collector(ReaderSession *reader)
    {
        QObject::connect(reader, &ReaderSession::messagesReceived, reader,
                         [this](const QList<ReceivedMessage> &batch) { m_messages += batch; });
    }
    const QList<ReceivedMessage> &messages() const { return m_messages; }
    QByteArrayList payloads() const
    {
        QByteArrayList list;
        for (const ReceivedMessage &m : m_messages)
            list.append(m.message.payload);
        return list;
    }
    bool waitCount(int n) const
    {
        return QTest::qWaitFor([&] { return m_messages.size() >= n; }, kWaitMs) && m_messages.size() == n;
    }

private:
    QList<ReceivedMessage> m_messages;
};

// Publishes and returns the ids, in order.
QStringList publish(const ConnectionProfile &profile, const TopicName &topic, const QByteArrayList &payloads)
{
    ProducerSession producer(profile, topic);
    QHash<QString, QString> ids;
    QStringList contexts;
    QObject::connect(&producer, &ProducerSession::sendFinished, &producer,
                     [&](const SendResult &r) { ids.insert(r.context, r.ok ? r.messageIdBase64 : QString()); });
    producer.open();
    for (const QByteArray &payload : payloads) {
        OutgoingMessage m;
        m.payload = payload;
        contexts.append(producer.send(m).context);
    }
    if (!QTest::qWaitFor([&] { return ids.size() == payloads.size(); }, kWaitMs))
        return {};
    QStringList result;
    for (const QString &context : std::as_const(contexts))
        result.append(ids.value(context));
    return result;
}

QByteArrayList numbered(const QByteArray &prefix, int from, int to)
{
    QByteArrayList list;
    for (int i = from; i < to; ++i)
        list.append(prefix + QByteArray::number(i));
    return list;
}

ReaderSettings from(const QString &start)
{
    ReaderSettings settings;
    settings.options.messageId = start;
    settings.delivery.maxBatchDelayMs = 20;
    settings.channel = fastPolicy();
    return settings;
}

} // namespace

class TestReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void earliest();
    void latest();
    void afterMessageId();
    void windowKeepsMoving();
    void endOfTopic();
    void resumesAfterDrop();
};

void TestReader::earliest()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-earliest"));
    const QStringList ids = publish(target.profile(), topic, numbered("e", 0, 5));
    QCOMPARE(ids.size(), 5);
    ReaderSession reader(target.profile(), topic, from(QStringLiteral("earliest")));
    Collector collector(&reader);
    reader.open();
    QVERIFY(collector.waitCount(5));
    QCOMPARE(collector.payloads(), numbered("e", 0, 5));
    QCOMPARE(collector.messages().last().message.messageId, ids.last());
    QCOMPARE(reader.lastMessageId(), ids.last());
}

void TestReader::latest()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-latest"));
    publish(target.profile(), topic, numbered("old", 0, 3));
    ReaderSession reader(target.profile(), topic, from(QStringLiteral("latest")));
    Collector collector(&reader);
    reader.open();
    QVERIFY(waitState(&reader, ChannelState::Connected));
    publish(target.profile(), topic, {"new"});
    QVERIFY(collector.waitCount(1));
    QCOMPARE(collector.payloads(), QByteArrayList{"new"});
}

void TestReader::afterMessageId()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-id"));
    const QStringList ids = publish(target.profile(), topic, numbered("i", 0, 6));
    ReaderSession reader(target.profile(), topic, from(ids.at(2))); // exclusive: starts at i3
    Collector collector(&reader);
    reader.open();
    QVERIFY(collector.waitCount(3));
    QCOMPARE(collector.payloads(), numbered("i", 3, 6));
}

void TestReader::windowKeepsMoving()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-window"));
    publish(target.profile(), topic, numbered("w", 0, 200));
    ReaderSettings settings = from(QStringLiteral("earliest"));
    settings.options.receiverQueueSize = 5; // the server pushes at most 5 before it hears back
    ReaderSession reader(target.profile(), topic, settings);
    Collector collector(&reader);
    reader.open();
    QVERIFY(collector.waitCount(200));
    QCOMPARE(collector.payloads(), numbered("w", 0, 200));
}

void TestReader::endOfTopic()
{
    ClientTarget target;
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-eot"));
    publish(target.profile(), topic, {"x"});
    ReaderSession reader(target.profile(), topic, from(QStringLiteral("earliest")));
    Collector collector(&reader);
    QSignalSpy answers(&reader, &ReaderSession::endOfTopicReceived);
    reader.open();
    QVERIFY(collector.waitCount(1));
    QVERIFY(reader.queryEndOfTopic());
    QVERIFY(answers.wait(kWaitMs));
    QCOMPARE(answers.first().first().toBool(), false);
}

void TestReader::resumesAfterDrop()
{
    SKIP_IF_EXTERNAL();
    QTemporaryDir dataDir;
    ProxyProcess proxy(dataDir.path());
    QVERIFY(proxy.start());
    const quint16 port = proxy.port();
    ConnectionProfile profile;
    profile.serviceUrl = proxy.url();
    const TopicName topic = ClientTarget::topic(QStringLiteral("r-resume"));
    publish(profile, topic, numbered("a", 0, 4));
    ReaderSession reader(profile, topic, from(QStringLiteral("earliest")));
    Collector collector(&reader);
    reader.open();
    QVERIFY(collector.waitCount(4));

    proxy.kill();
    QTRY_VERIFY_WITH_TIMEOUT(reader.status().state == ChannelState::Reconnecting, kWaitMs);
    // The next attempt starts after the last delivered message, not at "earliest" again.
    QCOMPARE(QUrlQuery(reader.channel()->url()).queryItemValue(QStringLiteral("messageId"), QUrl::FullyDecoded),
             reader.lastMessageId());
    QVERIFY(proxy.start(port));
    QTRY_VERIFY_WITH_TIMEOUT(reader.status().state == ChannelState::Connected, kWaitMs);
    publish(profile, topic, numbered("a", 4, 6));
    QVERIFY(collector.waitCount(6));
    QCOMPARE(collector.payloads(), numbered("a", 0, 6)); // nothing twice, nothing missing
}

QTEST_GUILESS_MAIN(TestReader)
#include "tst_reader.moc"
