#pragma once

#include "adminstats.h"
#include "httpmessage.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Pulsar {
class TopicName;
}

namespace Proxy {

// An admin request path split the way AdminApi routes it. The router and the service's authorization check both read
// the tenant, namespace and topic from it, so what is checked is what is served. Pulsar's v2 resources live under
// /admin/v2/; its v1 namespace and topic resources, whose namespaces carry a cluster, under /admin/ (v1
// Namespaces, PersistentTopics and NonPersistentTopics).
struct AdminPath
{
    bool v1 = false;
    // The decoded path components after /admin/v2/ or /admin/: [area, tenant, namespace, topic, ...] in v2,
    // [area, property, cluster, namespace, topic, ...] in v1.
    QStringList segments;

    // nullopt for a path outside both APIs (v1 is recognised for "namespaces", "persistent" and "non-persistent"
    // only), or when a component does not decode; *decodeError then holds Codec.decode's message and *decodeStatus
    // the status Pulsar answers it with.
    //
    // A subscription name (the component after "subscription" in the topic areas) is decoded twice, as Pulsar's
    // handlers do: Jersey decodes the @PathParam("subName") and the handler calls Codec.decode on the result. So
    // "a%252Bb" names "a+b", and a single-encoded "a%2Bb" names "a b". A failure of that second decode is an
    // exception inside the handler: 500. Topic names (@Encoded) are decoded once.
    static std::optional<AdminPath> parse(const QByteArray &rawPath, QString *decodeError = nullptr,
                                          int *decodeStatus = nullptr);

    QString area() const { return segments.value(0); }
    QString tenant() const { return segments.value(1); }
    // The components that name the namespace after the area: tenant/namespace, or property/cluster/namespace.
    int namespaceParts() const { return v1 ? 3 : 2; }
    // Index of the first component after the namespace (a topic's local name in the topic areas).
    int afterNamespace() const { return 1 + namespaceParts(); }
    bool hasNamespace() const { return segments.size() >= afterNamespace(); }
    // "tenant/namespace" or "property/cluster/namespace"; empty unless hasNamespace().
    QString namespaceName() const;
    // Whether those parts are a valid namespace name (NamedEntity rules), as Pulsar's validateNamespaceName checks.
    bool hasValidNamespace() const;
};

class Broker;
class Topic;
struct StoredEntry;

// The subset of Pulsar's admin REST API that a topic browser needs (spec 9), answered from the embedded broker:
// clusters, tenants, namespaces, topics, stats, subscriptions, peek and examine under /admin/v2/, and the v1 forms of
// the namespace and topic resources under /admin/ for namespaces with a cluster ("sample/standalone/ns1"). Errors
// are {"reason": "..."} with Pulsar's status codes and texts.
class AdminApi final
{
public:
    using Respond = std::function<void(const QByteArray &response)>;

    AdminApi(Broker *broker, const ServiceConfig &config);
    ~AdminApi();

    // Handles one request; `path` is the raw path without any service prefix. `respond` gets the whole response
    // exactly once: before handle() returns for most routes, later for those that may read messages from disk
    // (peek, examine, get by id, expire, reset cursor by time).
    void handle(const HttpRequestHead &head, const QByteArray &path, const QByteArray &body, bool keepAlive,
                Respond respond);

    struct Reply;
    struct Request;
    using ReplyFn = std::function<void(const Reply &)>;

private:
    struct TopicCall;

    void route(const Request &request, const ReplyFn &reply);
    Reply tenants(const Request &request);
    Reply namespaces(const Request &request);
    void topics(const Request &request, const ReplyFn &reply);
    void topicOperation(const TopicCall &call, const ReplyFn &reply);
    void subscriptionOperation(const TopicCall &call, const ReplyFn &reply);

    Reply partitionMetadata(const TopicCall &call);
    Reply createPartitioned(const TopicCall &call);
    Reply deletePartitioned(const TopicCall &call);
    Reply createTopic(const TopicCall &call);
    Reply deleteTopic(const TopicCall &call);
    Reply stats(const TopicCall &call, bool internal);
    Reply partitionedStats(const TopicCall &call, bool internal);
    Reply subscriptions(const TopicCall &call);
    Reply terminate(const TopicCall &call);
    bool requireSinglePersistentTopic(const TopicCall &call, const QString &onPartitioned,
                                      const QString &onNonPersistent, const ReplyFn &reply);
    void examine(const TopicCall &call, const ReplyFn &reply);
    void messageById(const TopicCall &call, const ReplyFn &reply);
    Reply createSubscription(const TopicCall &call, const QString &subscription);
    Reply deleteSubscription(const TopicCall &call, const QString &subscription);
    void peek(const TopicCall &call, const QString &subscription, const QString &position, const ReplyFn &reply);
    void expire(const TopicCall &call, const QString &subscription, const QString &seconds, const ReplyFn &reply);
    void resetToTime(const TopicCall &call, const QString &subscription, const QString &timestamp,
                     const ReplyFn &reply);

    // Reads one entry and answers with it the way Pulsar's generateResponseWithEntry does.
    void replyWithEntry(Topic *topic, qint64 entryId, const QString &notFoundReason, const ReplyFn &reply);
    QList<Topic *> partitionTopics(const Pulsar::TopicName &base, int partitions) const;

    Broker *m_broker;
    ServiceConfig m_config;
    AdminStats m_stats;
    // Callbacks of asynchronous answers check it, as the service may be torn down while a disk read is under way.
    std::shared_ptr<bool> m_alive;
};

} // namespace Proxy
