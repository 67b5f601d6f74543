#include "adminstats.h"

#include "broker/broker.h"
#include "broker/topic.h"
#include "protocol/jsonwriter.h"
#include "protocol/timeformat.h"
#include "store/messagestore.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <map>

namespace Proxy {

namespace {

// Java's Double.toString, which Jackson uses for doubles: "0.0", "12.5", "1.0E7", "1.5E-4".
QByteArray javaDouble(double v)
{
    if (!std::isfinite(v))
        return "0.0";
    const double magnitude = std::abs(v);
    if (magnitude == 0.0)
        return std::signbit(v) ? "-0.0" : "0.0";
    if (magnitude >= 1e-3 && magnitude < 1e7) {
        if (v == std::floor(v))
            return QByteArray::number(qint64(v)) + ".0";
        return QString::number(v, 'f', QLocale::FloatingPointShortest).toLatin1();
    }
    // Outside [1e-3, 1e7) Java switches to computerized scientific notation with at least one fraction digit.
    const QByteArray scientific = QString::number(v, 'e', QLocale::FloatingPointShortest).toLatin1();
    const qsizetype e = scientific.indexOf('e');
    QByteArray mantissa = scientific.left(e);
    if (!mantissa.contains('.'))
        mantissa += ".0";
    return mantissa + 'E' + QByteArray::number(scientific.mid(e + 1).toInt());
}

// A small ordered JSON writer for the stats documents. Pulsar::JsonWriter has no doubles, and these documents are
// full of them; strings still go through JsonWriter so that they are escaped exactly as Jackson escapes them.
class StatsJson
{
public:
    void beginObject(const char *name = nullptr) { open(name, '{'); }
    void endObject() { close('}'); }
    void beginArray(const char *name = nullptr) { open(name, '['); }
    void endArray() { close(']'); }
    void key(const QString &name)
    {
        separator();
        m_out += quoted(name);
        m_out += ':';
        m_needComma = false;
    }
    void number(const char *name, qint64 v) { raw(name, QByteArray::number(v)); }
    void boolean(const char *name, bool v) { raw(name, v ? "true" : "false"); }
    void real(const char *name, double v) { raw(name, javaDouble(v)); }
    void string(const char *name, const QString &v) { raw(name, quoted(v)); }
    void emptyObject(const char *name) { raw(name, "{}"); }
    void emptyArray(const char *name) { raw(name, "[]"); }
    void value(const QString &v)
    {
        separator();
        m_out += quoted(v);
        m_needComma = true;
    }
    QByteArray take() { return std::exchange(m_out, QByteArray()); }

private:
    static QByteArray quoted(const QString &s)
    {
        Pulsar::JsonWriter writer(s.size() + 8);
        writer.value(s);
        return writer.take();
    }
    void separator()
    {
        if (m_needComma)
            m_out += ',';
    }
    void name(const char *n)
    {
        separator();
        m_out += '"';
        m_out += n;
        m_out += "\":";
    }
    void raw(const char *n, const QByteArray &text)
    {
        name(n);
        m_out += text;
        m_needComma = true;
    }
    void open(const char *n, char bracket)
    {
        if (n)
            name(n);
        else
            separator();
        m_out += bracket;
        m_needComma = false;
    }
    void close(char bracket)
    {
        m_out += bracket;
        m_needComma = true;
    }

    QByteArray m_out;
    bool m_needComma = false;
};

// What one stats document says, gathered first so that partitions can be added up the way Pulsar's add() methods
// do before anything is written.
struct ConsumerData
{
    bool aggregated = false; // ConsumerStatsImpl.add() keeps counters only: no name, no connection details
    QString name;
    qint64 msgOut = 0;
    qint64 permits = 0;
    qint64 unacked = 0;
    qint64 lastAckedMs = 0;
    qint64 lastConsumedMs = 0;
    qint64 connectedSinceMs = 0;
    ClientInfo client;
};

struct SubscriptionData
{
    bool aggregated = false;
    bool nonPersistent = false;
    qint64 msgOut = 0;
    qint64 backlog = 0;
    qint64 backlogSize = 0;
    qint64 delayed = 0;
    qint64 unacked = 0;
    QString type;
    QString activeConsumer;
    bool keyShared = false;
    qint64 lastConsumedMs = 0;
    qint64 lastAckedMs = 0;
    QList<ConsumerData> consumers;
    bool durable = false;
    qint64 ackedRanges = 0;
};

struct PublisherData
{
    bool aggregated = false;
    QString name;
    qint64 id = 0;
    qint64 connectedSinceMs = 0;
    ClientInfo client;
};

struct TopicData
{
    bool aggregated = false;
    bool nonPersistent = false;
    int count = 0;
    qint64 msgIn = 0;
    qint64 bytesIn = 0;
    qint64 msgOut = 0;
    qint64 bytesOut = 0;
    qint64 storageSize = 0;
    qint64 backlogSize = 0;
    qint64 ackedRanges = 0;
    qint64 createdMs = 0;
    qint64 lastPublishMs = 0;
    QList<PublisherData> publishers;
    std::map<QString, SubscriptionData> subscriptions;
    QString ownerBroker;
};

// The bytes of `entries` entries, estimated from the stored size, as ManagedLedger estimates backlog sizes.
qint64 estimateBytes(const TopicStats &stored, qint64 entries)
{
    if (stored.entries <= 0 || entries <= 0)
        return 0;
    return qint64(double(stored.sizeBytes) * double(std::min(entries, stored.entries)) / double(stored.entries));
}

SubscriptionData collectSubscription(const Subscription &subscription, const TopicStats &stored,
                                     const AdminStats::Options &options)
{
    SubscriptionData data;
    data.nonPersistent = !subscription.topic()->isPersistent();
    data.backlog = data.nonPersistent ? 0 : subscription.backlog();
    data.backlogSize = options.subscriptionBacklogSize ? estimateBytes(stored, data.backlog) : -1;
    data.delayed = subscription.delayedCount();
    data.unacked = subscription.unackedTotal();
    data.type = Pulsar::toString(subscription.kind());
    data.keyShared = subscription.kind() == SubscriptionKind::KeyShared;
    if (const Consumer *active = subscription.activeConsumer())
        data.activeConsumer = active->name();
    data.lastConsumedMs = subscription.lastConsumedTimestampMs();
    data.lastAckedMs = subscription.lastAckedTimestampMs();
    data.durable = subscription.isDurable();
    data.ackedRanges = qint64(subscription.cursor().ackedRanges.size());
    for (const auto &consumer : subscription.consumers()) {
        data.msgOut += qint64(consumer->deliveredCount());
        if (options.excludeConsumers)
            continue;
        ConsumerData c;
        c.name = consumer->name();
        c.msgOut = qint64(consumer->deliveredCount());
        c.permits = consumer->permits();
        c.unacked = consumer->unackedCount();
        // Acks and deliveries are tracked per subscription only.
        c.lastAckedMs = data.lastAckedMs;
        c.lastConsumedMs = data.lastConsumedMs;
        c.connectedSinceMs = consumer->connectedSinceMs();
        c.client = consumer->spec().client;
        data.consumers.append(c);
    }
    return data;
}

TopicData collectTopic(const Broker &broker, const Topic &topic, const AdminStats::Options &options)
{
    TopicData data;
    data.count = 1;
    data.nonPersistent = !topic.isPersistent();
    const TopicCounters &counters = topic.counters();
    data.msgIn = qint64(counters.msgIn);
    data.bytesIn = qint64(counters.bytesIn);
    data.bytesOut = qint64(counters.bytesOut);
    data.createdMs = topic.createdAtMs();
    data.lastPublishMs = counters.lastPublishMs;
    data.ownerBroker = options.ownerBroker;
    const TopicStats stored = topic.isPersistent() ? broker.store()->topicStats(topic.name()) : TopicStats();
    data.storageSize = topic.isPersistent() ? stored.sizeBytes : 0;

    qint64 delivered = 0;
    qint64 slowestBacklog = 0;
    for (const auto &entry : topic.subscriptions()) {
        const SubscriptionData subscription = collectSubscription(*entry.second, stored, options);
        delivered += subscription.msgOut;
        if (subscription.durable)
            slowestBacklog = std::max(slowestBacklog, subscription.backlog);
        data.ackedRanges += subscription.ackedRanges;
        data.subscriptions.emplace(entry.first, subscription);
    }
    // Deliveries to consumers that have since left are only in the topic's own counter.
    data.msgOut = std::max(qint64(counters.msgOut), delivered);
    data.backlogSize = estimateBytes(stored, slowestBacklog);

    if (!options.excludePublishers) {
        QStringList names = topic.producers().keys();
        names.sort();
        // Pulsar numbers producers per connection; a name's position is the closest stable stand-in.
        qint64 id = 0;
        for (const QString &name : std::as_const(names)) {
            PublisherData publisher;
            publisher.name = name;
            publisher.id = id++;
            const Topic::ProducerEntry &entry = topic.producers()[name];
            publisher.connectedSinceMs = entry.connectedSinceMs;
            publisher.client = entry.client;
            data.publishers.append(publisher);
        }
    }
    return data;
}

// SubscriptionStatsImpl.add().
void addSubscription(SubscriptionData &sum, const SubscriptionData &part)
{
    sum.aggregated = true;
    sum.nonPersistent = part.nonPersistent;
    sum.msgOut += part.msgOut;
    sum.backlog += part.backlog;
    sum.backlogSize += part.backlogSize;
    sum.delayed += part.delayed;
    sum.unacked += part.unacked;
    sum.type = part.type;
    sum.durable = sum.durable || part.durable;
    sum.ackedRanges += part.ackedRanges;
    // Consumers are added up by position, which is what Pulsar does.
    for (qsizetype i = 0; i < part.consumers.size(); ++i) {
        if (i == sum.consumers.size()) {
            ConsumerData fresh;
            fresh.aggregated = true;
            sum.consumers.append(fresh);
        }
        ConsumerData &c = sum.consumers[i];
        c.msgOut += part.consumers[i].msgOut;
        c.permits += part.consumers[i].permits;
        c.unacked += part.consumers[i].unacked;
    }
}

// TopicStatsImpl.add(), with publishers merged by name as Pulsar does for clients that support partial producers.
void addTopic(TopicData &sum, const TopicData &part)
{
    sum.aggregated = true;
    sum.nonPersistent = part.nonPersistent;
    ++sum.count;
    sum.msgIn += part.msgIn;
    sum.bytesIn += part.bytesIn;
    sum.msgOut += part.msgOut;
    sum.bytesOut += part.bytesOut;
    sum.storageSize += part.storageSize;
    sum.backlogSize += part.backlogSize;
    sum.ackedRanges += part.ackedRanges;
    sum.createdMs = sum.createdMs == 0 ? part.createdMs : std::min(sum.createdMs, part.createdMs);
    sum.lastPublishMs = std::max(sum.lastPublishMs, part.lastPublishMs);
    for (const PublisherData &publisher : part.publishers) {
        const auto it = std::find_if(sum.publishers.begin(), sum.publishers.end(),
                                     [&](const PublisherData &p) { return p.name == publisher.name; });
        if (it == sum.publishers.end()) {
            PublisherData merged;
            merged.aggregated = true;
            merged.name = publisher.name;
            sum.publishers.append(merged);
        }
    }
    for (const auto &entry : part.subscriptions)
        addSubscription(sum.subscriptions[entry.first], entry.second);
}

void writeConsumer(StatsJson &json, const ConsumerData &c)
{
    json.beginObject();
    json.real("msgRateOut", 0);
    json.real("msgThroughputOut", 0);
    json.number("bytesOutCounter", 0);
    json.number("msgOutCounter", c.msgOut);
    json.real("msgRateRedeliver", 0);
    json.real("messageAckRate", 0);
    json.real("chunkedMessageRate", 0);
    if (!c.aggregated)
        json.string("consumerName", c.name);
    json.number("availablePermits", c.permits);
    json.number("unackedMessages", c.unacked);
    json.number("avgMessagesPerEntry", 1);
    json.boolean("blockedConsumerOnUnackedMsgs", false);
    json.number("drainingHashesCount", 0);
    json.number("drainingHashesClearedTotal", 0);
    json.number("drainingHashesUnackedMessages", 0);
    if (!c.aggregated) {
        json.string("address", c.client.address);
        json.string("connectedSince", Pulsar::formatPulsarTimeLocal(c.connectedSinceMs));
        json.string("clientVersion", c.client.clientVersion);
    }
    json.number("lastAckedTimestamp", c.lastAckedMs);
    json.number("lastConsumedTimestamp", c.lastConsumedMs);
    json.number("lastConsumedFlowTimestamp", 0);
    if (!c.aggregated)
        json.emptyObject("metadata");
    // Getter-only properties of ConsumerStatsImpl, which Jackson writes too.
    json.string("lastAckedTime", Pulsar::formatPulsarTimeLocal(c.lastAckedMs));
    json.string("lastConsumedTime", Pulsar::formatPulsarTimeLocal(c.lastConsumedMs));
    json.endObject();
}

void writeSubscription(StatsJson &json, const SubscriptionData &s)
{
    json.beginObject();
    json.real("msgRateOut", 0);
    json.real("msgThroughputOut", 0);
    json.number("bytesOutCounter", 0);
    json.number("msgOutCounter", s.msgOut);
    json.real("msgRateRedeliver", 0);
    json.real("messageAckRate", 0);
    json.number("chunkedMessageRate", 0);
    json.number("msgBacklog", s.backlog);
    json.number("backlogSize", s.backlogSize);
    json.number("earliestMsgPublishTimeInBacklog", 0);
    json.number("msgBacklogNoDelayed", std::max<qint64>(0, s.backlog - s.delayed));
    json.boolean("blockedSubscriptionOnUnackedMsgs", false);
    json.number("msgDelayed", s.delayed);
    json.number("unackedMessages", s.unacked);
    json.string("type", s.type);
    if (!s.aggregated && !s.activeConsumer.isEmpty())
        json.string("activeConsumerName", s.activeConsumer);
    json.real("msgRateExpired", 0);
    json.number("totalMsgExpired", 0);
    json.number("lastExpireTimestamp", 0);
    json.number("lastConsumedFlowTimestamp", 0);
    json.number("lastConsumedTimestamp", s.aggregated ? 0 : s.lastConsumedMs);
    json.number("lastAckedTimestamp", s.aggregated ? 0 : s.lastAckedMs);
    json.number("lastMarkDeleteAdvancedTimestamp", s.aggregated ? 0 : s.lastAckedMs);
    json.beginArray("consumers");
    for (const ConsumerData &c : s.consumers)
        writeConsumer(json, c);
    json.endArray();
    json.boolean("isDurable", s.durable);
    json.boolean("isReplicated", false);
    json.boolean("allowOutOfOrderDelivery", false);
    if (!s.aggregated && s.keyShared)
        json.string("keySharedMode", QStringLiteral("AUTO_SPLIT"));
    json.emptyObject("consumersAfterMarkDeletePosition");
    json.number("nonContiguousDeletedMessagesRanges", s.ackedRanges);
    json.number("nonContiguousDeletedMessagesRangesSerializedSize", 0);
    json.number("delayedMessageIndexSizeInBytes", 0);
    json.emptyObject("subscriptionProperties");
    json.number("filterProcessedMsgCount", 0);
    json.number("filterAcceptedMsgCount", 0);
    json.number("filterRejectedMsgCount", 0);
    json.number("filterRescheduledMsgCount", 0);
    if (s.nonPersistent)
        json.real("msgDropRate", 0);
    // Lombok's isDurable()/isReplicated() getters make Jackson write these booleans a second time.
    json.boolean("durable", s.durable);
    json.boolean("replicated", false);
    json.endObject();
}

void writePublisher(StatsJson &json, const PublisherData &p, bool nonPersistent)
{
    json.beginObject();
    if (!p.aggregated)
        json.string("accessMode", QStringLiteral("Shared"));
    json.real("msgRateIn", 0);
    json.real("msgThroughputIn", 0);
    json.real("averageMsgSize", 0);
    json.real("chunkedMessageRate", 0);
    json.number("producerId", p.id);
    if (nonPersistent)
        json.real("msgDropRate", 0);
    json.boolean("supportsPartialProducer", false);
    json.string("producerName", p.name);
    if (!p.aggregated) {
        json.string("address", p.client.address);
        json.string("connectedSince", Pulsar::formatPulsarTimeLocal(p.connectedSinceMs));
        json.string("clientVersion", p.client.clientVersion);
        json.emptyObject("metadata");
    }
    json.endObject();
}

// The fields of TopicStatsImpl, without the enclosing braces, so that PartitionedTopicStatsImpl can extend them.
void writeTopicFields(StatsJson &json, const TopicData &t)
{
    json.real("msgRateIn", 0);
    json.real("msgThroughputIn", 0);
    json.real("msgRateOut", 0);
    json.real("msgThroughputOut", 0);
    json.number("bytesInCounter", t.bytesIn);
    json.number("msgInCounter", t.msgIn);
    json.number("bytesOutCounter", t.bytesOut);
    json.number("msgOutCounter", t.msgOut);
    json.real("averageMsgSize", 0);
    json.boolean("msgChunkPublished", false);
    json.number("storageSize", t.storageSize);
    json.number("backlogSize", t.backlogSize);
    json.number("publishRateLimitedTimes", 0);
    json.number("earliestMsgPublishTimeInBacklogs", 0);
    json.number("offloadedStorageSize", 0);
    json.number("lastOffloadLedgerId", 0);
    json.number("lastOffloadSuccessTimeStamp", 0);
    json.number("lastOffloadFailureTimeStamp", 0);
    json.number("ongoingTxnCount", 0);
    json.number("abortedTxnCount", 0);
    json.number("committedTxnCount", 0);
    json.beginArray("publishers");
    for (const PublisherData &p : t.publishers)
        writePublisher(json, p, t.nonPersistent);
    json.endArray();
    json.number("waitingPublishers", 0);
    json.beginObject("subscriptions");
    for (const auto &entry : t.subscriptions) {
        json.key(entry.first);
        writeSubscription(json, entry.second);
    }
    json.endObject();
    json.emptyObject("replication");
    if (!t.aggregated)
        json.string("deduplicationStatus", QStringLiteral("Disabled"));
    json.number("nonContiguousDeletedMessagesRanges", t.ackedRanges);
    json.number("nonContiguousDeletedMessagesRangesSerializedSize", 0);
    json.number("delayedMessageIndexSizeInBytes", 0);
    json.beginObject("compaction");
    json.number("lastCompactionRemovedEventCount", 0);
    json.number("lastCompactionSucceedTimestamp", 0);
    json.number("lastCompactionFailedTimestamp", 0);
    json.number("lastCompactionDurationTimeInMills", 0);
    json.endObject();
    if (!t.aggregated && !t.ownerBroker.isEmpty())
        json.string("ownerBroker", t.ownerBroker);
    json.number("topicCreationTimeStamp", t.createdMs);
    json.number("lastPublishTimeStamp", t.lastPublishMs);
    if (t.nonPersistent)
        json.real("msgDropRate", 0);
}

QString position(qint64 ledgerId, qint64 entryId)
{
    return QString::number(ledgerId) + QLatin1Char(':') + QString::number(entryId);
}

// ManagedCursorImpl's individuallyDeletedMessages: Guava-style open-closed ranges, "[(3:1..3:3],(3:5..3:6]]".
QString deletedRanges(qint64 ledgerId, const Subscription::CursorSnapshot &cursor)
{
    QString text = QStringLiteral("[");
    bool first = true;
    for (const auto &range : cursor.ackedRanges) {
        if (!first)
            text += QLatin1Char(',');
        first = false;
        text += QLatin1Char('(') + position(ledgerId, range.first - 1) + QStringLiteral("..") +
                position(ledgerId, range.second) + QLatin1Char(']');
    }
    return text + QLatin1Char(']');
}

void writeLedgerInfo(StatsJson &json, qint64 ledgerId, qint64 entries, qint64 size)
{
    json.beginObject();
    json.number("ledgerId", ledgerId);
    json.number("entries", entries);
    json.number("size", size);
    json.boolean("offloaded", false);
    json.boolean("underReplicated", false);
    json.endObject();
}

void writeInternalStats(StatsJson &json, const Broker &broker, const Topic &topic)
{
    json.beginObject();
    if (!topic.isPersistent()) {
        // NonPersistentTopic.getInternalStats(): the counter and one empty CursorStats per subscription.
        json.number("entriesAddedCounter", qint64(topic.counters().msgIn));
        json.number("numberOfEntries", 0);
        json.number("totalSize", 0);
        json.number("currentLedgerEntries", 0);
        json.number("currentLedgerSize", 0);
        json.number("waitingCursorsCount", 0);
        json.number("pendingAddEntriesCount", 0);
        json.beginObject("cursors");
        for (const auto &entry : topic.subscriptions()) {
            json.key(entry.first);
            json.beginObject();
            json.boolean("waitingReadOp", false);
            json.number("pendingReadOps", 0);
            json.number("messagesConsumedCounter", 0);
            json.number("cursorLedger", 0);
            json.number("cursorLedgerLastEntry", 0);
            json.number("numberOfEntriesSinceFirstNotAckedMessage", 0);
            json.number("totalNonContiguousDeletedMessagesRange", 0);
            json.boolean("subscriptionHavePendingRead", false);
            json.boolean("subscriptionHavePendingReplayRead", false);
            json.endObject();
        }
        json.endObject();
        json.endObject();
        return;
    }

    const TopicStats stored = broker.store()->topicStats(topic.name());
    const qint64 ledgerId = topic.ledgerId();
    const qint64 lastEntry = topic.lastEntryId();
    const SegmentStats active = stored.segments.isEmpty() ? SegmentStats() : stored.segments.last();
    int waitingCursors = 0;
    for (const auto &entry : topic.subscriptions()) {
        if (!entry.second->consumers().empty() && entry.second->readPosition() > lastEntry)
            ++waitingCursors;
    }
    json.number("entriesAddedCounter", qint64(topic.counters().msgIn));
    json.number("numberOfEntries", stored.entries);
    json.number("totalSize", stored.sizeBytes);
    json.number("currentLedgerEntries", active.entries);
    json.number("currentLedgerSize", active.sizeBytes);
    json.string("lastLedgerCreatedTimestamp", Pulsar::formatPulsarTimeLocal(topic.createdAtMs()));
    json.number("waitingCursorsCount", waitingCursors);
    json.number("pendingAddEntriesCount", 0);
    json.string("lastConfirmedEntry", position(ledgerId, lastEntry));
    json.string("state", QStringLiteral("LedgerOpened"));
    // Every entry of a topic carries the topic's one ledger id in its message id, so each segment of the log is
    // shown as a ledger with that id.
    json.beginArray("ledgers");
    for (const SegmentStats &segment : stored.segments)
        writeLedgerInfo(json, ledgerId, segment.entries, segment.sizeBytes);
    json.endArray();
    json.beginObject("cursors");
    for (const auto &entry : topic.subscriptions()) {
        const Subscription &s = *entry.second;
        const Subscription::CursorSnapshot cursor = s.cursor();
        json.key(entry.first);
        json.beginObject();
        json.string("markDeletePosition", position(ledgerId, s.markDeleteEntryId()));
        json.string("readPosition", position(ledgerId, s.readPosition()));
        json.boolean("waitingReadOp", !s.consumers().empty() && s.readPosition() > lastEntry);
        json.number("pendingReadOps", 0);
        json.number("messagesConsumedCounter", std::max<qint64>(0, lastEntry + 1 - s.backlog()));
        json.number("cursorLedger", -1);
        json.number("cursorLedgerLastEntry", -1);
        json.string("individuallyDeletedMessages", deletedRanges(ledgerId, cursor));
        json.string("lastLedgerSwitchTimestamp", Pulsar::formatPulsarTimeLocal(topic.createdAtMs()));
        json.string("state", s.isDurable() ? QStringLiteral("Open") : QStringLiteral("NoLedger"));
        json.number("numberOfEntriesSinceFirstNotAckedMessage", s.readPosition() - s.markDeleteEntryId());
        json.number("totalNonContiguousDeletedMessagesRange", qint64(cursor.ackedRanges.size()));
        json.boolean("subscriptionHavePendingRead", false);
        json.boolean("subscriptionHavePendingReplayRead", false);
        // ManagedCursor.isActive: a cursor with connected consumers.
        json.boolean("active", !s.consumers().empty());
        json.emptyObject("properties");
        json.endObject();
    }
    json.endObject();
    // PersistentTopicInternalStats' own fields: no schema and no compaction here.
    json.emptyArray("schemaLedgers");
    json.beginObject("compactedLedger");
    json.number("ledgerId", -1);
    json.number("entries", -1);
    json.number("size", -1);
    json.boolean("offloaded", false);
    json.boolean("underReplicated", false);
    json.endObject();
    json.endObject();
}

void writePartitionedMetadata(StatsJson &json, int partitions)
{
    json.beginObject("metadata");
    json.number("partitions", partitions);
    json.boolean("deleted", false);
    json.endObject();
}

} // namespace

AdminStats::AdminStats(const Broker *broker)
    : m_broker(broker)
{}

QByteArray AdminStats::topicStats(const Topic &topic, const Options &options) const
{
    StatsJson json;
    json.beginObject();
    writeTopicFields(json, collectTopic(*m_broker, topic, options));
    json.endObject();
    return json.take();
}

QByteArray AdminStats::partitionedStats(const QList<const Topic *> &partitions, int partitionCount, bool perPartition,
                                        const Options &options) const
{
    TopicData sum;
    QList<std::pair<QString, TopicData>> each;
    for (const Topic *partition : partitions) {
        if (!partition)
            continue;
        const TopicData data = collectTopic(*m_broker, *partition, options);
        if (sum.count == 0) {
            sum.nonPersistent = data.nonPersistent;
            sum.aggregated = true;
        }
        addTopic(sum, data);
        if (perPartition)
            each.append({partition->name(), data});
    }
    StatsJson json;
    json.beginObject();
    writeTopicFields(json, sum);
    writePartitionedMetadata(json, partitionCount);
    json.beginObject("partitions");
    for (const auto &entry : std::as_const(each)) {
        json.key(entry.first);
        json.beginObject();
        writeTopicFields(json, entry.second);
        json.endObject();
    }
    json.endObject();
    json.endObject();
    return json.take();
}

QByteArray AdminStats::internalStats(const Topic &topic) const
{
    StatsJson json;
    writeInternalStats(json, *m_broker, topic);
    return json.take();
}

QByteArray AdminStats::partitionedInternalStats(const QList<const Topic *> &partitions, int partitionCount) const
{
    StatsJson json;
    json.beginObject();
    writePartitionedMetadata(json, partitionCount);
    json.beginObject("partitions");
    for (const Topic *partition : partitions) {
        if (!partition)
            continue;
        json.key(partition->name());
        writeInternalStats(json, *m_broker, *partition);
    }
    json.endObject();
    json.endObject();
    return json.take();
}

} // namespace Proxy
