#pragma once

#include "admincall.h"
#include "adminconnection.h"
#include "adminerror.h"
#include "adminresults.h"
#include "peekedmessage.h"
#include "protocol/messageid.h"
#include "protocol/topicname.h"

#include <QMap>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace Pulsar {

// The query of GET …/stats and …/partitioned-stats (spec 9); the defaults are those of Pulsar's admin client.
struct TopicStatsOptions
{
    bool getPreciseBacklog = false;
    bool subscriptionBacklogSize = true;
    bool getEarliestTimeInBacklog = false;
    bool excludePublishers = false;
    bool excludeConsumers = false;
};

// Pulsar's admin REST API (spec 9) over QNetworkAccessManager, for the topic browser: clusters, tenants, namespaces,
// topics, stats, subscriptions and message peeking. Calls on a v1 namespace or topic (one with a cluster,
// "sample/standalone/ns1") go to Pulsar's v1 resources under /admin/, every other call to /admin/v2/. Every call
// returns at once with an AdminCall (or AdminReply<T>) that reports later; nothing blocks, so the GUI thread can drive
// it. Topic and subscription names are percent-encoded in paths as Pulsar's Codec does. 307/308 redirects to the broker
// owning a topic are followed with the method, body and Authorization header kept (Qt's NoLessSafeRedirectPolicy, which
// does exactly that in Qt 6.4; https never redirects to http). Error answers become AdminError with the HTTP status and
// Pulsar's reason. Tokens and TLS settings are those of AdminConnection. Destroying the client abandons pending calls
// silently.
class AdminClient final : public QObject
{
    Q_OBJECT

public:
    enum class TopicListMode
    {
        Persistent,
        NonPersistent,
        All,
    };
    enum class InitialPosition
    {
        Earliest,
        Latest,
    };
    explicit AdminClient(const AdminConnection &connection, QObject *parent = nullptr);
    ~AdminClient() override;

    const AdminConnection &connection() const { return m_connection; }
    // Applies to calls started afterwards. Unusable settings (a CA file without certificates, a certificate without
    // its key, a URL that is not http(s)) make every later call fail with AdminError::Configuration.
    void setConnection(const AdminConnection &connection);
    // The problem with the current settings, if any.
    const AdminError &configurationError() const { return m_configError; }

    // Cluster and broker.
    AdminReply<QStringList> *clusters();
    AdminReply<QString> *brokerHealth();  // "ok"
    AdminReply<QString> *brokerVersion(); // e.g. "4.0.3"

    // Tenants.
    AdminReply<QStringList> *tenants();
    AdminReply<TenantInfo> *tenantInfo(const QString &tenant);
    AdminCall *createTenant(const QString &tenant, const TenantInfo &info);
    AdminCall *deleteTenant(const QString &tenant, bool force = false);

    // Namespaces ("tenant/namespace", or "property/cluster/namespace" for v1).
    AdminReply<QStringList> *namespaces(const QString &tenant);
    AdminCall *createNamespace(const NamespaceName &ns);
    AdminCall *deleteNamespace(const NamespaceName &ns, bool force = false);
    AdminReply<NamespacePolicies> *namespacePolicies(const NamespaceName &ns);
    // GET /namespaces/{t}/{ns}/topics?mode=… (v1: …/{p}/{c}/{ns}/destinations): full names, partitions expanded.
    AdminReply<QStringList> *namespaceTopics(const NamespaceName &ns, TopicListMode mode = TopicListMode::All,
                                             bool includeSystemTopics = false);

    // Topic lists (full names; see groupTopics() for a tree).
    AdminReply<QStringList> *persistentTopics(const NamespaceName &ns, bool includeSystemTopics = false);
    AdminReply<QStringList> *nonPersistentTopics(const NamespaceName &ns, bool includeSystemTopics = false);
    // Base names of the partitioned topics of one domain.
    AdminReply<QStringList> *partitionedTopics(const NamespaceName &ns, TopicDomain domain,
                                               bool includeSystemTopics = false);

    // Topics.
    AdminReply<PartitionedTopicMetadata> *partitionedMetadata(const TopicName &topic);
    AdminCall *createPartitionedTopic(const TopicName &topic, int partitions);
    AdminCall *createNonPartitionedTopic(const TopicName &topic,
                                         const QMap<QString, QString> &properties = QMap<QString, QString>());
    AdminCall *deleteTopic(const TopicName &topic, bool force = false);
    AdminCall *deletePartitionedTopic(const TopicName &topic, bool force = false);
    AdminReply<TopicStats> *topicStats(const TopicName &topic, const TopicStatsOptions &options = TopicStatsOptions());
    AdminReply<PartitionedTopicStats> *partitionedStats(const TopicName &topic, bool perPartition = true,
                                                        const TopicStatsOptions &options = TopicStatsOptions());
    AdminReply<InternalStats> *internalStats(const TopicName &topic);
    AdminReply<PartitionedInternalStats> *partitionedInternalStats(const TopicName &topic);
    AdminReply<MessageId> *lastMessageId(const TopicName &topic);
    // Answers the id of the last message, after which producers are refused.
    AdminReply<MessageId> *terminateTopic(const TopicName &topic);
    AdminCall *unloadTopic(const TopicName &topic);
    AdminReply<QMap<QString, QString>> *topicProperties(const TopicName &topic);
    AdminReply<SchemaInfo> *schema(const TopicName &topic);

    // Subscriptions.
    AdminReply<QStringList> *subscriptions(const TopicName &topic);
    // At MessageId::earliest(), MessageId::latest() or a message id (its ledger, entry and batch index).
    AdminCall *createSubscription(const TopicName &topic, const QString &subscription,
                                  const MessageId &position = MessageId::latest(), bool replicated = false);
    AdminCall *deleteSubscription(const TopicName &topic, const QString &subscription, bool force = false);
    AdminCall *skipMessages(const TopicName &topic, const QString &subscription, qint64 count);
    AdminCall *skipAllMessages(const TopicName &topic, const QString &subscription);
    AdminCall *expireMessages(const TopicName &topic, const QString &subscription, qint64 seconds);
    AdminCall *resetCursor(const TopicName &topic, const QString &subscription, qint64 timestampMs);
    AdminCall *resetCursor(const TopicName &topic, const QString &subscription, const MessageId &position,
                           bool excluded = false);

    // Reading messages without consuming them.
    // The n-th (1-based) unacknowledged message of a subscription; peeking n messages is n calls.
    AdminReply<PeekedMessage> *peekMessage(const TopicName &topic, const QString &subscription, qint64 n);
    AdminReply<PeekedMessage> *examineMessage(const TopicName &topic, InitialPosition from, qint64 n);
    AdminReply<PeekedMessage> *messageById(const TopicName &topic, qint64 ledgerId, qint64 entryId);

private:
    template<typename T>
    AdminReply<T> *call(const QByteArray &verb, const QString &path, const QUrlQuery &query, const QByteArray &body,
                        typename AdminReply<T>::Decoder decoder);
    AdminCall *operation(const QByteArray &verb, const QString &path, const QUrlQuery &query = QUrlQuery(),
                         const QByteArray &body = QByteArray());
    // Builds the request and sends it, or fails the call later when the settings are unusable.
    void dispatch(AdminCall *call, const QByteArray &verb, const QString &path, const QUrlQuery &query,
                  const QByteArray &body);
    AdminReply<QStringList> *stringList(const QString &path, const QUrlQuery &query = QUrlQuery());
    AdminReply<PeekedMessage> *peek(const TopicName &topic, const QString &path, const QUrlQuery &query);

    QNetworkAccessManager *m_network;
    AdminConnection m_connection;
    QSslConfiguration m_tls;
    AdminError m_configError;
};

} // namespace Pulsar
