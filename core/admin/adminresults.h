#pragma once

#include "adminerror.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// The typed answers of Pulsar's admin REST API v2 (spec 9). Every fromJson() is lenient the way Pulsar's own
// Jackson mapper is: unknown fields are ignored, missing ones keep their defaults, numbers may arrive as numeric
// strings. Only the shape of the document itself (not JSON, or an array where an object belongs) is an error, and
// parseJsonObject()/parseJsonArray() report it with the offset.
namespace Pulsar {

// {"adminRoles": [...], "allowedClusters": [...]}: GET /tenants/{tenant}, and the body of PUT.
struct TenantInfo
{
    QStringList adminRoles;
    QStringList allowedClusters;

    static TenantInfo fromJson(const QJsonObject &object);
    QByteArray toJson() const;
};

// The namespace Policies object: the fields a browser shows, plus the whole document in raw.
struct NamespacePolicies
{
    QStringList replicationClusters;
    int numBundles = 0;
    QStringList bundleBoundaries;
    std::optional<int> messageTtlSeconds;    // unset: the broker default applies
    std::optional<int> retentionTimeMinutes; // unset when retention_policies is absent
    std::optional<qint64> retentionSizeMb;
    std::optional<bool> deduplicationEnabled; // unset: the broker default applies
    bool encryptionRequired = false;
    bool deleted = false;
    QString subscriptionAuthMode;
    QString schemaCompatibilityStrategy;
    bool allowAutoUpdateSchema = true;
    bool schemaValidationEnforced = false;
    QMap<QString, QStringList> namespacePermissions;  // role -> actions (auth_policies.namespace_auth)
    QMap<QString, QStringList> subscriptionAuthRoles; // subscription -> roles
    QMap<QString, QString> properties;
    QJsonObject raw;

    static NamespacePolicies fromJson(const QJsonObject &object);
};

// GET …/{topic}/partitions. partitions == 0 means a non-partitioned topic.
struct PartitionedTopicMetadata
{
    int partitions = 0;
    bool deleted = false;
    QMap<QString, QString> properties;

    static PartitionedTopicMetadata fromJson(const QJsonObject &object);
};

struct PublisherStats
{
    QString producerName;
    qint64 producerId = 0;
    QString accessMode;
    double msgRateIn = 0;
    double msgThroughputIn = 0;
    double averageMsgSize = 0;
    QString address;
    QString connectedSince;
    QString clientVersion;
    QMap<QString, QString> metadata;

    static PublisherStats fromJson(const QJsonObject &object);
};

struct ConsumerStats
{
    QString consumerName;
    double msgRateOut = 0;
    double msgThroughputOut = 0;
    double msgRateRedeliver = 0;
    double messageAckRate = 0;
    qint64 msgOutCounter = 0;
    qint64 bytesOutCounter = 0;
    qint64 availablePermits = 0;
    qint64 unackedMessages = 0;
    bool blockedConsumerOnUnackedMsgs = false;
    QString address;
    QString connectedSince;
    QString clientVersion;
    qint64 lastAckedTimestamp = 0;
    qint64 lastConsumedTimestamp = 0;
    QStringList keyHashRanges; // "[start, end]" as Pulsar prints them (Key_Shared)
    QMap<QString, QString> metadata;

    static ConsumerStats fromJson(const QJsonObject &object);
};

struct SubscriptionStats
{
    QString name; // the key in TopicStats' "subscriptions" object
    QString type; // "Exclusive", "Shared", "Failover", "Key_Shared"
    double msgRateOut = 0;
    double msgThroughputOut = 0;
    double msgRateRedeliver = 0;
    double messageAckRate = 0;
    double msgRateExpired = 0;
    qint64 msgOutCounter = 0;
    qint64 bytesOutCounter = 0;
    qint64 msgBacklog = 0;
    qint64 msgBacklogNoDelayed = 0;
    qint64 backlogSize = 0; // -1 when not asked for (subscriptionBacklogSize=false)
    qint64 msgDelayed = 0;
    qint64 unackedMessages = 0;
    qint64 totalMsgExpired = 0;
    qint64 lastExpireTimestamp = 0;
    qint64 lastConsumedTimestamp = 0;
    qint64 lastAckedTimestamp = 0;
    qint64 earliestMsgPublishTimeInBacklog = 0;
    QString activeConsumerName;
    bool blockedSubscriptionOnUnackedMsgs = false;
    bool durable = true;
    bool replicated = false;
    QList<ConsumerStats> consumers;
    QMap<QString, QString> subscriptionProperties;

    static SubscriptionStats fromJson(const QString &name, const QJsonObject &object);
};

// TopicStatsImpl (GET …/stats), also the aggregate and each partition of partitioned-stats.
struct TopicStats
{
    double msgRateIn = 0;
    double msgThroughputIn = 0;
    double msgRateOut = 0;
    double msgThroughputOut = 0;
    double averageMsgSize = 0;
    qint64 msgInCounter = 0;
    qint64 bytesInCounter = 0;
    qint64 msgOutCounter = 0;
    qint64 bytesOutCounter = 0;
    qint64 storageSize = 0;
    qint64 backlogSize = 0;
    qint64 offloadedStorageSize = 0;
    qint64 earliestMsgPublishTimeInBacklogs = 0;
    qint64 waitingPublishers = 0;
    qint64 nonContiguousDeletedMessagesRanges = 0;
    qint64 topicCreationTimeStamp = 0;
    qint64 lastPublishTimeStamp = 0;
    std::optional<qint64> topicEpoch;
    QString deduplicationStatus;
    QString ownerBroker;
    QList<PublisherStats> publishers;
    QList<SubscriptionStats> subscriptions; // sorted by name
    QJsonObject raw;

    const SubscriptionStats *subscription(const QString &name) const;
    static TopicStats fromJson(const QJsonObject &object);
};

// GET …/partitioned-stats: the aggregate plus, with perPartition, each partition by its full name.
struct PartitionedTopicStats
{
    TopicStats total;
    int partitions = 0; // "metadata": {"partitions": N}
    QMap<QString, TopicStats> perPartition;

    static PartitionedTopicStats fromJson(const QJsonObject &object);
};

struct LedgerInfo
{
    qint64 ledgerId = -1;
    qint64 entries = 0;
    qint64 size = 0;
    bool offloaded = false;
    bool underReplicated = false;
    QString metadata;

    static LedgerInfo fromJson(const QJsonObject &object);
};

struct CursorStats
{
    QString name;               // the subscription
    QString markDeletePosition; // "ledger:entry"
    QString readPosition;
    QString individuallyDeletedMessages;
    QString state;
    QString lastLedgerSwitchTimestamp;
    bool active = false;
    bool waitingReadOp = false;
    qint64 pendingReadOps = 0;
    qint64 messagesConsumedCounter = 0;
    qint64 cursorLedger = -1;
    qint64 cursorLedgerLastEntry = -1;
    qint64 numberOfEntriesSinceFirstNotAckedMessage = 0;
    qint64 totalNonContiguousDeletedMessagesRange = 0;
    QMap<QString, qint64> properties;

    static CursorStats fromJson(const QString &name, const QJsonObject &object);
};

// PersistentTopicInternalStats (GET …/internalStats): the managed ledger as the broker sees it.
struct InternalStats
{
    qint64 entriesAddedCounter = 0;
    qint64 numberOfEntries = 0;
    qint64 totalSize = 0;
    qint64 currentLedgerEntries = 0;
    qint64 currentLedgerSize = 0;
    qint64 waitingCursorsCount = 0;
    qint64 pendingAddEntriesCount = 0;
    QString lastLedgerCreatedTimestamp;
    QString lastConfirmedEntry; // "ledger:entry"
    QString state;
    QList<LedgerInfo> ledgers;
    QList<CursorStats> cursors; // sorted by name
    QList<LedgerInfo> schemaLedgers;
    std::optional<LedgerInfo> compactedLedger;
    QJsonObject raw;

    const CursorStats *cursor(const QString &name) const;
    static InternalStats fromJson(const QJsonObject &object);
};

// GET …/partitioned-internalStats.
struct PartitionedInternalStats
{
    int partitions = 0;
    QMap<QString, InternalStats> perPartition;

    static PartitionedInternalStats fromJson(const QJsonObject &object);
};

// GET /schemas/{tenant}/{ns}/{topic}/schema.
struct SchemaInfo
{
    qint64 version = 0;
    QString type;
    qint64 timestamp = 0;
    QString data;
    QMap<QString, QString> properties;

    static SchemaInfo fromJson(const QJsonObject &object);
};

// The document checks shared by every call: JSON at all (with Qt's message and the byte offset), and the expected
// top-level shape. The error code is MalformedResponse.
std::optional<QJsonObject> parseJsonObject(const QByteArray &body, AdminError *error);
std::optional<QJsonArray> parseJsonArray(const QByteArray &body, AdminError *error);
// A JSON array of strings (tenants, namespaces, topics, clusters, subscriptions); non-string items are an error.
std::optional<QStringList> parseStringList(const QByteArray &body, AdminError *error);
// A JSON object of strings (topic properties); other values are converted to text as Jackson would.
std::optional<QMap<QString, QString>> parseStringMap(const QByteArray &body, AdminError *error);

} // namespace Pulsar
