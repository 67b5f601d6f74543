#pragma once

#include "brokertypes.h"
#include "protocol/options.h"
#include "protocol/topicname.h"
#include "proxy/backend.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace Proxy {

class MessageStore;
class Topic;
struct StoredEntry;
class Consumer;

struct BrokerConfig
{
    QString clusterName = QStringLiteral("standalone");
    bool autoCreateNamespaces = true; // create missing tenants/namespaces on first use
    bool autoCreateTopics = true;     // allowAutoTopicCreation, as standalone
    int maxPendingPerProducer = 1000; // maxPendingPublishRequestsPerConnection
};

struct TenantInfo
{
    QStringList adminRoles;
    QStringList allowedClusters;
};

class Broker;

// A producer as the broker sees it: one topic, or a partitioned topic whose partitions it routes to.
class Producer final : public ProducerLink
{
public:
    Producer(Broker *broker, const Pulsar::TopicName &topic, const QString &name, int partitions,
             const Pulsar::ProducerOptions &options);
    ~Producer() override;

    const QString &name() const { return m_name; }
    int pendingCount() const { return *m_pending; }
    // Publishes; refuses at once (send-error:8) past the pending bound instead of queueing without end.
    void send(std::shared_ptr<BrokerMessage> message, PublishCallback callback) override;

private:
    int choosePartition(const BrokerMessage &message);

    Broker *m_broker;
    Pulsar::TopicName m_topic;
    QString m_name;
    int m_partitions;
    Pulsar::HashingScheme m_hashing;
    Pulsar::MessageRoutingMode m_routing;
    int m_singlePartition = 0;
    int m_roundRobin = 0;
    // Publishes not yet answered; shared with them (PendingPublish), so an answer after this producer is gone is fine.
    std::shared_ptr<int> m_pending = std::make_shared<int>(0);
    qint64 m_nextSequenceId = 0;
    std::vector<QPointer<Topic>> m_targets; // by partition (one entry when not partitioned)
};

// The embedded broker: tenants, namespaces, topics and their subscriptions over the durable MessageStore.
// It lives on the service's event-loop thread; the store does its disk work on its own threads.
class Broker final : public QObject
{
    Q_OBJECT

public:
    Broker(const BrokerConfig &config, MessageStore *store, QObject *parent = nullptr);
    ~Broker() override;

    // Loads metadata, topics and cursors from the store and creates the default tenants on first start.
    void start();
    const BrokerConfig &config() const { return m_config; }

    // ---- data plane ----
    std::unique_ptr<Producer> createProducer(const Pulsar::TopicName &topic, const Pulsar::ProducerOptions &options,
                                             const ClientInfo &client, BrokerError *error);
    // One consumer per topic or partition; empty with `error` set on refusal (nothing stays attached then).
    QList<Consumer *> subscribe(const QList<Pulsar::TopicName> &topics, DeliverySink *sink, const SubscribeSpec &spec,
                                BrokerError *error);
    // Topics of a namespace whose names match a regular expression (v3 topicsPattern).
    QList<Pulsar::TopicName> topicsMatching(const QString &pattern, BrokerError *error);
    bool publishInternal(const QString &topic, std::shared_ptr<BrokerMessage> message);

    // ---- admin plane ----
    QStringList clusters() const { return {m_config.clusterName}; }
    QStringList tenants() const { return m_tenants.keys(); }
    std::optional<TenantInfo> tenant(const QString &name) const;
    bool createTenant(const QString &name, const TenantInfo &info, BrokerError *error);
    bool deleteTenant(const QString &name, BrokerError *error);
    QStringList namespaces(const QString &tenant, BrokerError *error) const;
    bool hasNamespace(const QString &ns) const { return m_namespaces.contains(ns); }
    bool createNamespace(const QString &ns, BrokerError *error);
    bool deleteNamespace(const QString &ns, BrokerError *error);
    // Full names of existing topics in a namespace (partitions expanded), by domain.
    QStringList topics(const QString &ns, bool persistent) const;
    QStringList partitionedTopics(const QString &ns, bool persistent) const;
    int partitionCount(const QString &fullName) const; // 0 = not partitioned
    bool createPartitionedTopic(const Pulsar::TopicName &topic, int partitions, BrokerError *error);
    bool createTopic(const Pulsar::TopicName &topic, BrokerError *error);
    bool deleteTopic(const Pulsar::TopicName &topic, bool force, BrokerError *error);
    bool deletePartitionedTopic(const Pulsar::TopicName &topic, bool force, BrokerError *error);
    Topic *existingTopic(const QString &fullName) const;
    bool terminate(const Pulsar::TopicName &topic, qint64 *lastEntry, BrokerError *error);
    // A namespace's override of BrokerConfig::autoCreateTopics; nullopt removes it.
    void setAutoTopicCreation(const QString &ns, std::optional<bool> allow);

    // Admin operations beyond the data plane (brokeradmin.cpp).
    const MessageStore *store() const { return m_store; }
    // The topic an admin call names: loaded, or a partition of a known partitioned topic, opened on demand as
    // Pulsar creates partitions together with their partitioned topic. nullptr when it does not exist.
    Topic *adminTopic(const Pulsar::TopicName &name);
    // Committed entries of a persistent topic from fromEntryId on (at most maxCount): from the store's cache at
    // once, else after a read on the store's thread. `done` runs exactly once on this thread, unless the broker is
    // destroyed first.
    void readEntries(const QString &topic, qint64 fromEntryId, int maxCount,
                     const std::function<void(const QVector<StoredEntry> &)> &done);
    // Pulsar's expireMessages(seconds): acknowledges the subscription's entries published more than `seconds` ago.
    // `done(false)` when nothing was issued (empty backlog, or a connected and nearly caught-up subscription with
    // nothing expired), which Pulsar answers with 409.
    void expireMessages(Topic *topic, const QString &subscription, qint64 seconds,
                        const std::function<void(bool issued)> &done);
    // Pulsar's resetCursor(timestamp): the next delivery is the first entry published at or after timestampMs.
    void resetCursorToTime(Topic *topic, const QString &subscription, qint64 timestampMs,
                           const std::function<void()> &done);
    // Moves the cursor so that (ledgerId, entryId) is delivered next; an earlier ledger means the first entry,
    // a later one (MessageId.latest) the end.
    void resetCursorToPosition(Topic *topic, const QString &subscription, qint64 ledgerId, qint64 entryId);
    // The n-th (1-based) entry the subscription has not acknowledged, or -1 when there is none.
    qint64 nthUnackedEntry(const Topic *topic, const QString &subscription, qint64 n) const;
    // User properties of a topic (given when it was created through the admin API), kept in the store's metadata.
    QMap<QString, QString> topicProperties(const QString &fullName) const;
    void setTopicProperties(const QString &fullName, const QMap<QString, QString> &properties);

    // ---- used by Topic ----
    void appendToStore(Topic *topic, std::shared_ptr<BrokerMessage> message, PublishCallback callback,
                       PendingPublish pending = PendingPublish());
    void readFromStore(Topic *topic, qint64 fromEntryId);
    QString generateProducerName();

    // Finds or (when allowed) creates the topic; nullptr with `error` when it cannot exist.
    Topic *topic(const Pulsar::TopicName &name, bool create, BrokerError *error);

    // Publishes appended to the store whose commit has not been reported yet.
    bool hasPendingPublishes() const { return !m_inflight.empty(); }
    // Stops every session's consumers and flushes the store (the service calls it on SIGTERM).
    void shutdown();

private:
    void onCommitted(const QVector<quint64> &tickets);
    void onAppendFailed(const QVector<quint64> &tickets, const QString &reason);
    void onReadCompleted(quint64 token, const QString &topic, const QVector<StoredEntry> &entries);
    bool ensureNamespace(const Pulsar::TopicName &topic, BrokerError *error);
    Topic *openTopic(const QString &fullName, bool persistent, int partitionIndex);
    void loadMetadata();
    void saveMetadata();

    struct Inflight
    {
        quint64 ticket = 0;
        QPointer<Topic> topic; // null once the topic is deleted
        qint64 entryId = -1;
        std::shared_ptr<const BrokerMessage> message;
        PublishCallback callback; // empty once answered
        PendingPublish pending;
    };
    // Takes the publish of a ticket out of m_inflight (callback empty when unknown).
    Inflight takeInflight(quint64 ticket);

    BrokerConfig m_config;
    MessageStore *m_store;
    QMap<QString, TenantInfo> m_tenants;
    QSet<QString> m_namespaces;
    QMap<QString, int> m_partitioned; // base full name -> partitions
    QSet<QString> m_terminated;
    QMap<QString, bool> m_autoTopicCreation; // namespace -> override
    std::map<QString, std::unique_ptr<Topic>> m_topics;
    // Appends waiting for their commit, in ticket (= append) order. The store answers in that order too, so the
    // answer is almost always at the front: no hash node per message, and no lookup cost growing with the window.
    std::deque<Inflight> m_inflight;
    QHash<quint64, QPair<QString, qint64>> m_reads; // token -> topic, first entry
    quint64 m_nextTicket = 0;
    quint64 m_producerSequence = 0;
};

} // namespace Proxy
