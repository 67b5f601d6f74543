#pragma once

#include "broker/brokertypes.h"
#include "httpmessage.h"
#include "protocol/messageid.h"
#include "protocol/options.h"
#include "protocol/topicname.h"

#include <QList>
#include <QSet>

#include <functional>
#include <memory>

namespace Proxy {

// A producer as the WebSocket front sees it: it publishes and reports each outcome once.
class ProducerLink
{
public:
    virtual ~ProducerLink() = default;
    virtual void send(std::shared_ptr<BrokerMessage> message, PublishCallback callback) = 0;
};

// One consumer of one topic or partition as the WebSocket front sees it. Deliveries arrive through the
// DeliverySink the front passed to Backend::subscribe(); permits bound how many may arrive ahead.
class ConsumerLink
{
public:
    virtual ~ConsumerLink() = default;
    virtual void addPermits(int permits) = 0;
    virtual void ack(const Pulsar::MessageId &id) = 0;
    virtual void negativeAck(const Pulsar::MessageId &id) = 0;
    virtual bool hasReachedEndOfTopic() const = 0;
    // Unsubscribes when this is the subscription's only consumer; false with the reason otherwise.
    virtual bool unsubscribe(QString *error) = 0;
    // Detaches from the subscription; the link must not be used afterwards.
    virtual void close() = 0;
    virtual int partitionIndex() const = 0;
};

// What serves the WebSocket and admin API behind ProxyServer. The embedded broker over the durable store is the
// one implementation today (EmbeddedBackend); a relay to an upstream Pulsar cluster plugs in here.
class Backend
{
public:
    virtual ~Backend() = default;

    virtual QString clusterName() const = 0;
    virtual std::unique_ptr<ProducerLink> createProducer(const Pulsar::TopicName &topic,
                                                         const Pulsar::ProducerOptions &options,
                                                         const ClientInfo &client, BrokerError *error) = 0;
    // One link per topic or partition; empty with `error` set on refusal (nothing stays attached then).
    virtual QList<ConsumerLink *> subscribe(const QList<Pulsar::TopicName> &topics, DeliverySink *sink,
                                            const SubscribeSpec &spec, BrokerError *error) = 0;
    // The topics a v3 topicsPattern names.
    virtual QList<Pulsar::TopicName> topicsMatching(const QString &pattern, BrokerError *error) = 0;
    // The roles that administer a tenant (for the admin API's authorization).
    virtual QSet<QString> tenantAdminRoles(const QString &tenant) const = 0;

    using AdminResponder = std::function<void(const QByteArray &response)>;
    // One admin REST request; `respond` gets the whole HTTP response exactly once, possibly later.
    virtual void handleAdmin(const HttpRequestHead &head, const QByteArray &path, const QByteArray &body,
                             bool keepAlive, AdminResponder respond) = 0;
};

} // namespace Proxy
