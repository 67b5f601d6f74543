#include "adminresults.h"

#include "protocol/jsonwriter.h"
#include "protocol/options.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Pulsar {

namespace {

// Jackson's coercions, read the other way: a number may arrive as a numeric string and a string as a number.
qint64 toLong(const QJsonValue &value, qint64 fallback = 0)
{
    if (value.isDouble()) {
        // Qt keeps integers that fit in 64 bits exact; other numbers are doubles, clamped rather than wrapped and
        // truncated like Jackson's coercion of a fractional number to a long.
        constexpr qint64 sentinel = std::numeric_limits<qint64>::min();
        const qint64 exact = value.toInteger(sentinel);
        if (exact != sentinel)
            return exact;
        const double d = value.toDouble();
        if (std::isnan(d))
            return fallback;
        if (d >= 9.2233720368547758e18)
            return std::numeric_limits<qint64>::max();
        if (d <= -9.2233720368547758e18)
            return std::numeric_limits<qint64>::min();
        return qint64(d);
    }
    if (value.isString()) {
        const auto parsed = parseJavaLong(value.toString());
        return parsed ? *parsed : fallback;
    }
    return fallback;
}

std::optional<qint64> optionalLong(const QJsonValue &value)
{
    if (value.isDouble() || (value.isString() && parseJavaLong(value.toString())))
        return toLong(value);
    return std::nullopt;
}

int toInt(const QJsonValue &value, int fallback = 0)
{
    const qint64 v = toLong(value, fallback);
    return int(std::clamp<qint64>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

double toDouble(const QJsonValue &value, double fallback = 0)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double d = value.toString().toDouble(&ok);
        return ok ? d : fallback;
    }
    return fallback;
}

bool toBool(const QJsonValue &value, bool fallback = false)
{
    if (value.isBool())
        return value.toBool();
    if (value.isString()) {
        // Jackson accepts "true"/"false" for a boolean.
        if (value.toString() == QLatin1String("true"))
            return true;
        if (value.toString() == QLatin1String("false"))
            return false;
    }
    return fallback;
}

QString toText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const qint64 exact = value.toInteger(std::numeric_limits<qint64>::min());
        if (exact != std::numeric_limits<qint64>::min())
            return QString::number(exact);
        return QString::number(value.toDouble());
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isNull() && !item.isUndefined())
            list.append(toText(item));
    }
    return list;
}

QMap<QString, QString> toStringMap(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        map.insert(it.key(), toText(it.value()));
    return map;
}

QMap<QString, QStringList> toListMap(const QJsonValue &value)
{
    QMap<QString, QStringList> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        map.insert(it.key(), toStringList(it.value()));
    return map;
}

QString kindOf(const QJsonDocument &document)
{
    if (document.isObject())
        return QStringLiteral("an object");
    if (document.isArray())
        return QStringLiteral("an array");
    return QStringLiteral("a scalar");
}

std::optional<QJsonDocument> parseDocument(const QByteArray &body, AdminError *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = AdminError{AdminError::MalformedResponse, 0,
                            QStringLiteral("Invalid JSON at offset ") + QString::number(parseError.offset) +
                                QStringLiteral(": ") + parseError.errorString()};
        return std::nullopt;
    }
    return document;
}

} // namespace

std::optional<QJsonObject> parseJsonObject(const QByteArray &body, AdminError *error)
{
    const auto document = parseDocument(body, error);
    if (!document)
        return std::nullopt;
    if (!document->isObject()) {
        *error = AdminError{AdminError::MalformedResponse, 0,
                            QStringLiteral("Expected a JSON object, got ") + kindOf(*document)};
        return std::nullopt;
    }
    return document->object();
}

std::optional<QJsonArray> parseJsonArray(const QByteArray &body, AdminError *error)
{
    const auto document = parseDocument(body, error);
    if (!document)
        return std::nullopt;
    if (!document->isArray()) {
        *error = AdminError{AdminError::MalformedResponse, 0,
                            QStringLiteral("Expected a JSON array, got ") + kindOf(*document)};
        return std::nullopt;
    }
    return document->array();
}

std::optional<QStringList> parseStringList(const QByteArray &body, AdminError *error)
{
    const auto array = parseJsonArray(body, error);
    if (!array)
        return std::nullopt;
    QStringList list;
    list.reserve(array->size());
    for (qsizetype i = 0; i < array->size(); ++i) {
        const QJsonValue item = array->at(i);
        if (!item.isString()) {
            *error = AdminError{AdminError::MalformedResponse, 0,
                                QStringLiteral("Expected a string at index ") + QString::number(i) +
                                    QStringLiteral(" of the JSON array")};
            return std::nullopt;
        }
        list.append(item.toString());
    }
    return list;
}

std::optional<QMap<QString, QString>> parseStringMap(const QByteArray &body, AdminError *error)
{
    const auto object = parseJsonObject(body, error);
    if (!object)
        return std::nullopt;
    return toStringMap(*object);
}

TenantInfo TenantInfo::fromJson(const QJsonObject &object)
{
    TenantInfo info;
    info.adminRoles = toStringList(object.value(QLatin1String("adminRoles")));
    info.allowedClusters = toStringList(object.value(QLatin1String("allowedClusters")));
    return info;
}

QByteArray TenantInfo::toJson() const
{
    JsonWriter writer;
    writer.beginObject();
    writer.field("adminRoles", adminRoles);
    writer.field("allowedClusters", allowedClusters);
    writer.endObject();
    return writer.take();
}

NamespacePolicies NamespacePolicies::fromJson(const QJsonObject &object)
{
    NamespacePolicies p;
    p.raw = object;
    p.replicationClusters = toStringList(object.value(QLatin1String("replication_clusters")));
    const QJsonObject bundles = object.value(QLatin1String("bundles")).toObject();
    p.numBundles = toInt(bundles.value(QLatin1String("numBundles")));
    p.bundleBoundaries = toStringList(bundles.value(QLatin1String("boundaries")));
    if (const auto ttl = optionalLong(object.value(QLatin1String("message_ttl_in_seconds"))))
        p.messageTtlSeconds = int(*ttl);
    const QJsonValue retention = object.value(QLatin1String("retention_policies"));
    if (retention.isObject()) {
        const QJsonObject r = retention.toObject();
        p.retentionTimeMinutes = toInt(r.value(QLatin1String("retentionTimeInMinutes")));
        p.retentionSizeMb = toLong(r.value(QLatin1String("retentionSizeInMB")));
    }
    const QJsonValue dedup = object.value(QLatin1String("deduplicationEnabled"));
    if (dedup.isBool())
        p.deduplicationEnabled = dedup.toBool();
    p.encryptionRequired = toBool(object.value(QLatin1String("encryption_required")));
    p.deleted = toBool(object.value(QLatin1String("deleted")));
    p.subscriptionAuthMode = toText(object.value(QLatin1String("subscription_auth_mode")));
    p.schemaCompatibilityStrategy = toText(object.value(QLatin1String("schema_compatibility_strategy")));
    p.allowAutoUpdateSchema = toBool(object.value(QLatin1String("is_allow_auto_update_schema")), true);
    p.schemaValidationEnforced = toBool(object.value(QLatin1String("schema_validation_enforced")));
    const QJsonObject auth = object.value(QLatin1String("auth_policies")).toObject();
    p.namespacePermissions = toListMap(auth.value(QLatin1String("namespace_auth")));
    p.subscriptionAuthRoles = toListMap(auth.value(QLatin1String("subscription_auth_roles")));
    p.properties = toStringMap(object.value(QLatin1String("properties")));
    return p;
}

PartitionedTopicMetadata PartitionedTopicMetadata::fromJson(const QJsonObject &object)
{
    PartitionedTopicMetadata m;
    m.partitions = toInt(object.value(QLatin1String("partitions")));
    m.deleted = toBool(object.value(QLatin1String("deleted")));
    m.properties = toStringMap(object.value(QLatin1String("properties")));
    return m;
}

PublisherStats PublisherStats::fromJson(const QJsonObject &o)
{
    PublisherStats p;
    p.producerName = toText(o.value(QLatin1String("producerName")));
    p.producerId = toLong(o.value(QLatin1String("producerId")));
    p.accessMode = toText(o.value(QLatin1String("accessMode")));
    p.msgRateIn = toDouble(o.value(QLatin1String("msgRateIn")));
    p.msgThroughputIn = toDouble(o.value(QLatin1String("msgThroughputIn")));
    p.averageMsgSize = toDouble(o.value(QLatin1String("averageMsgSize")));
    p.address = toText(o.value(QLatin1String("address")));
    p.connectedSince = toText(o.value(QLatin1String("connectedSince")));
    p.clientVersion = toText(o.value(QLatin1String("clientVersion")));
    p.metadata = toStringMap(o.value(QLatin1String("metadata")));
    return p;
}

ConsumerStats ConsumerStats::fromJson(const QJsonObject &o)
{
    ConsumerStats c;
    c.consumerName = toText(o.value(QLatin1String("consumerName")));
    c.msgRateOut = toDouble(o.value(QLatin1String("msgRateOut")));
    c.msgThroughputOut = toDouble(o.value(QLatin1String("msgThroughputOut")));
    c.msgRateRedeliver = toDouble(o.value(QLatin1String("msgRateRedeliver")));
    c.messageAckRate = toDouble(o.value(QLatin1String("messageAckRate")));
    c.msgOutCounter = toLong(o.value(QLatin1String("msgOutCounter")));
    c.bytesOutCounter = toLong(o.value(QLatin1String("bytesOutCounter")));
    c.availablePermits = toLong(o.value(QLatin1String("availablePermits")));
    c.unackedMessages = toLong(o.value(QLatin1String("unackedMessages")));
    c.blockedConsumerOnUnackedMsgs = toBool(o.value(QLatin1String("blockedConsumerOnUnackedMsgs")));
    c.address = toText(o.value(QLatin1String("address")));
    c.connectedSince = toText(o.value(QLatin1String("connectedSince")));
    c.clientVersion = toText(o.value(QLatin1String("clientVersion")));
    c.lastAckedTimestamp = toLong(o.value(QLatin1String("lastAckedTimestamp")));
    c.lastConsumedTimestamp = toLong(o.value(QLatin1String("lastConsumedTimestamp")));
    c.keyHashRanges = toStringList(o.value(QLatin1String("keyHashRanges")));
    c.metadata = toStringMap(o.value(QLatin1String("metadata")));
    return c;
}

SubscriptionStats SubscriptionStats::fromJson(const QString &name, const QJsonObject &o)
{
    SubscriptionStats s;
    s.name = name;
    s.type = toText(o.value(QLatin1String("type")));
    s.msgRateOut = toDouble(o.value(QLatin1String("msgRateOut")));
    s.msgThroughputOut = toDouble(o.value(QLatin1String("msgThroughputOut")));
    s.msgRateRedeliver = toDouble(o.value(QLatin1String("msgRateRedeliver")));
    s.messageAckRate = toDouble(o.value(QLatin1String("messageAckRate")));
    s.msgRateExpired = toDouble(o.value(QLatin1String("msgRateExpired")));
    s.msgOutCounter = toLong(o.value(QLatin1String("msgOutCounter")));
    s.bytesOutCounter = toLong(o.value(QLatin1String("bytesOutCounter")));
    s.msgBacklog = toLong(o.value(QLatin1String("msgBacklog")));
    s.msgBacklogNoDelayed = toLong(o.value(QLatin1String("msgBacklogNoDelayed")));
    s.backlogSize = toLong(o.value(QLatin1String("backlogSize")));
    s.msgDelayed = toLong(o.value(QLatin1String("msgDelayed")));
    s.unackedMessages = toLong(o.value(QLatin1String("unackedMessages")));
    s.totalMsgExpired = toLong(o.value(QLatin1String("totalMsgExpired")));
    s.lastExpireTimestamp = toLong(o.value(QLatin1String("lastExpireTimestamp")));
    s.lastConsumedTimestamp = toLong(o.value(QLatin1String("lastConsumedTimestamp")));
    s.lastAckedTimestamp = toLong(o.value(QLatin1String("lastAckedTimestamp")));
    s.earliestMsgPublishTimeInBacklog = toLong(o.value(QLatin1String("earliestMsgPublishTimeInBacklog")));
    s.activeConsumerName = toText(o.value(QLatin1String("activeConsumerName")));
    s.blockedSubscriptionOnUnackedMsgs = toBool(o.value(QLatin1String("blockedSubscriptionOnUnackedMsgs")));
    // Pulsar writes both spellings (public field and Lombok getter); either one is enough.
    s.durable = toBool(o.value(QLatin1String("isDurable")), toBool(o.value(QLatin1String("durable")), true));
    s.replicated = toBool(o.value(QLatin1String("isReplicated")), toBool(o.value(QLatin1String("replicated")), false));
    for (const QJsonValue &consumer : o.value(QLatin1String("consumers")).toArray())
        s.consumers.append(ConsumerStats::fromJson(consumer.toObject()));
    s.subscriptionProperties = toStringMap(o.value(QLatin1String("subscriptionProperties")));
    return s;
}

const SubscriptionStats *TopicStats::subscription(const QString &name) const
{
    for (const SubscriptionStats &s : subscriptions) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

TopicStats TopicStats::fromJson(const QJsonObject &o)
{
    TopicStats t;
    t.raw = o;
    t.msgRateIn = toDouble(o.value(QLatin1String("msgRateIn")));
    t.msgThroughputIn = toDouble(o.value(QLatin1String("msgThroughputIn")));
    t.msgRateOut = toDouble(o.value(QLatin1String("msgRateOut")));
    t.msgThroughputOut = toDouble(o.value(QLatin1String("msgThroughputOut")));
    t.averageMsgSize = toDouble(o.value(QLatin1String("averageMsgSize")));
    t.msgInCounter = toLong(o.value(QLatin1String("msgInCounter")));
    t.bytesInCounter = toLong(o.value(QLatin1String("bytesInCounter")));
    t.msgOutCounter = toLong(o.value(QLatin1String("msgOutCounter")));
    t.bytesOutCounter = toLong(o.value(QLatin1String("bytesOutCounter")));
    t.storageSize = toLong(o.value(QLatin1String("storageSize")));
    t.backlogSize = toLong(o.value(QLatin1String("backlogSize")));
    t.offloadedStorageSize = toLong(o.value(QLatin1String("offloadedStorageSize")));
    t.earliestMsgPublishTimeInBacklogs = toLong(o.value(QLatin1String("earliestMsgPublishTimeInBacklogs")));
    t.waitingPublishers = toLong(o.value(QLatin1String("waitingPublishers")));
    t.nonContiguousDeletedMessagesRanges = toLong(o.value(QLatin1String("nonContiguousDeletedMessagesRanges")));
    t.topicCreationTimeStamp = toLong(o.value(QLatin1String("topicCreationTimeStamp")));
    t.lastPublishTimeStamp = toLong(o.value(QLatin1String("lastPublishTimeStamp")));
    t.topicEpoch = optionalLong(o.value(QLatin1String("topicEpoch")));
    t.deduplicationStatus = toText(o.value(QLatin1String("deduplicationStatus")));
    t.ownerBroker = toText(o.value(QLatin1String("ownerBroker")));
    for (const QJsonValue &publisher : o.value(QLatin1String("publishers")).toArray())
        t.publishers.append(PublisherStats::fromJson(publisher.toObject()));
    // QJsonObject iterates in key order, so the list comes out sorted by name.
    const QJsonObject subscriptions = o.value(QLatin1String("subscriptions")).toObject();
    for (auto it = subscriptions.begin(); it != subscriptions.end(); ++it)
        t.subscriptions.append(SubscriptionStats::fromJson(it.key(), it.value().toObject()));
    return t;
}

PartitionedTopicStats PartitionedTopicStats::fromJson(const QJsonObject &object)
{
    PartitionedTopicStats p;
    p.total = TopicStats::fromJson(object);
    p.partitions = toInt(object.value(QLatin1String("metadata")).toObject().value(QLatin1String("partitions")));
    const QJsonObject partitions = object.value(QLatin1String("partitions")).toObject();
    for (auto it = partitions.begin(); it != partitions.end(); ++it)
        p.perPartition.insert(it.key(), TopicStats::fromJson(it.value().toObject()));
    // Pulsar merges the partitions' publishers by position (PartitionedTopicStatsImpl.add) and PublisherStatsImpl.add
    // keeps only the sums, so its aggregate publishers have no name, address or connection time. A partitioned
    // producer has one producer per partition under the same name, so the first partition with a publisher at that
    // position names it.
    for (int i = 0; i < p.total.publishers.size(); ++i) {
        PublisherStats &merged = p.total.publishers[i];
        if (!merged.producerName.isEmpty())
            continue;
        for (const TopicStats &partition : std::as_const(p.perPartition)) {
            if (i < partition.publishers.size() && !partition.publishers[i].producerName.isEmpty()) {
                const PublisherStats &named = partition.publishers[i];
                merged.producerName = named.producerName;
                merged.accessMode = named.accessMode;
                merged.address = named.address;
                merged.connectedSince = named.connectedSince;
                merged.clientVersion = named.clientVersion;
                break;
            }
        }
    }
    return p;
}

LedgerInfo LedgerInfo::fromJson(const QJsonObject &o)
{
    LedgerInfo l;
    l.ledgerId = toLong(o.value(QLatin1String("ledgerId")), -1);
    l.entries = toLong(o.value(QLatin1String("entries")));
    l.size = toLong(o.value(QLatin1String("size")));
    l.offloaded = toBool(o.value(QLatin1String("offloaded")));
    l.underReplicated = toBool(o.value(QLatin1String("underReplicated")));
    l.metadata = toText(o.value(QLatin1String("metadata")));
    return l;
}

CursorStats CursorStats::fromJson(const QString &name, const QJsonObject &o)
{
    CursorStats c;
    c.name = name;
    c.markDeletePosition = toText(o.value(QLatin1String("markDeletePosition")));
    c.readPosition = toText(o.value(QLatin1String("readPosition")));
    c.individuallyDeletedMessages = toText(o.value(QLatin1String("individuallyDeletedMessages")));
    c.state = toText(o.value(QLatin1String("state")));
    c.lastLedgerSwitchTimestamp = toText(o.value(QLatin1String("lastLedgerSwitchTimestamp")));
    c.active = toBool(o.value(QLatin1String("active")));
    c.waitingReadOp = toBool(o.value(QLatin1String("waitingReadOp")));
    c.pendingReadOps = toLong(o.value(QLatin1String("pendingReadOps")));
    c.messagesConsumedCounter = toLong(o.value(QLatin1String("messagesConsumedCounter")));
    c.cursorLedger = toLong(o.value(QLatin1String("cursorLedger")), -1);
    c.cursorLedgerLastEntry = toLong(o.value(QLatin1String("cursorLedgerLastEntry")), -1);
    c.numberOfEntriesSinceFirstNotAckedMessage =
        toLong(o.value(QLatin1String("numberOfEntriesSinceFirstNotAckedMessage")));
    c.totalNonContiguousDeletedMessagesRange = toLong(o.value(QLatin1String("totalNonContiguousDeletedMessagesRange")));
    const QJsonObject properties = o.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        c.properties.insert(it.key(), toLong(it.value()));
    return c;
}

const CursorStats *InternalStats::cursor(const QString &name) const
{
    for (const CursorStats &c : cursors) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

InternalStats InternalStats::fromJson(const QJsonObject &o)
{
    InternalStats s;
    s.raw = o;
    s.entriesAddedCounter = toLong(o.value(QLatin1String("entriesAddedCounter")));
    s.numberOfEntries = toLong(o.value(QLatin1String("numberOfEntries")));
    s.totalSize = toLong(o.value(QLatin1String("totalSize")));
    s.currentLedgerEntries = toLong(o.value(QLatin1String("currentLedgerEntries")));
    s.currentLedgerSize = toLong(o.value(QLatin1String("currentLedgerSize")));
    s.waitingCursorsCount = toLong(o.value(QLatin1String("waitingCursorsCount")));
    s.pendingAddEntriesCount = toLong(o.value(QLatin1String("pendingAddEntriesCount")));
    s.lastLedgerCreatedTimestamp = toText(o.value(QLatin1String("lastLedgerCreatedTimestamp")));
    s.lastConfirmedEntry = toText(o.value(QLatin1String("lastConfirmedEntry")));
    s.state = toText(o.value(QLatin1String("state")));
    for (const QJsonValue &ledger : o.value(QLatin1String("ledgers")).toArray())
        s.ledgers.append(LedgerInfo::fromJson(ledger.toObject()));
    const QJsonObject cursors = o.value(QLatin1String("cursors")).toObject();
    for (auto it = cursors.begin(); it != cursors.end(); ++it)
        s.cursors.append(CursorStats::fromJson(it.key(), it.value().toObject()));
    for (const QJsonValue &ledger : o.value(QLatin1String("schemaLedgers")).toArray())
        s.schemaLedgers.append(LedgerInfo::fromJson(ledger.toObject()));
    const QJsonValue compacted = o.value(QLatin1String("compactedLedger"));
    if (compacted.isObject())
        s.compactedLedger = LedgerInfo::fromJson(compacted.toObject());
    return s;
}

PartitionedInternalStats PartitionedInternalStats::fromJson(const QJsonObject &object)
{
    PartitionedInternalStats p;
    p.partitions = toInt(object.value(QLatin1String("metadata")).toObject().value(QLatin1String("partitions")));
    const QJsonObject partitions = object.value(QLatin1String("partitions")).toObject();
    for (auto it = partitions.begin(); it != partitions.end(); ++it)
        p.perPartition.insert(it.key(), InternalStats::fromJson(it.value().toObject()));
    return p;
}

SchemaInfo SchemaInfo::fromJson(const QJsonObject &o)
{
    SchemaInfo s;
    s.version = toLong(o.value(QLatin1String("version")));
    s.type = toText(o.value(QLatin1String("type")));
    s.timestamp = toLong(o.value(QLatin1String("timestamp")));
    s.data = toText(o.value(QLatin1String("data")));
    s.properties = toStringMap(o.value(QLatin1String("properties")));
    return s;
}

} // namespace Pulsar
