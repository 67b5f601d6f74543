#include "embeddedbackend.h"

#include "adminapi.h"
#include "broker/broker.h"
#include "broker/subscription.h"

namespace Proxy {

EmbeddedBackend::EmbeddedBackend(Broker *broker, const ServiceConfig &config)
    : m_broker(broker)
    , m_admin(std::make_unique<AdminApi>(broker, config))
{}

EmbeddedBackend::~EmbeddedBackend() = default;

QString EmbeddedBackend::clusterName() const
{
    return m_broker->config().clusterName;
}

std::unique_ptr<ProducerLink> EmbeddedBackend::createProducer(const Pulsar::TopicName &topic,
                                                              const Pulsar::ProducerOptions &options,
                                                              const ClientInfo &client, BrokerError *error)
{
    return m_broker->createProducer(topic, options, client, error);
}

QList<ConsumerLink *> EmbeddedBackend::subscribe(const QList<Pulsar::TopicName> &topics, DeliverySink *sink,
                                                 const SubscribeSpec &spec, BrokerError *error)
{
    QList<ConsumerLink *> links;
    for (Consumer *consumer : m_broker->subscribe(topics, sink, spec, error))
        links.append(consumer);
    return links;
}

QList<Pulsar::TopicName> EmbeddedBackend::topicsMatching(const QString &pattern, BrokerError *error)
{
    return m_broker->topicsMatching(pattern, error);
}

QSet<QString> EmbeddedBackend::tenantAdminRoles(const QString &tenant) const
{
    const auto info = m_broker->tenant(tenant);
    return info ? QSet<QString>(info->adminRoles.cbegin(), info->adminRoles.cend()) : QSet<QString>();
}

void EmbeddedBackend::handleAdmin(const HttpRequestHead &head, const QByteArray &path, const QByteArray &body,
                                  bool keepAlive, AdminResponder respond)
{
    m_admin->handle(head, path, body, keepAlive, std::move(respond));
}

} // namespace Proxy
