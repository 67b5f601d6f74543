#pragma once

#include "backend.h"
#include "serviceconfig.h"

#include <memory>

namespace Proxy {

class AdminApi;
class Broker;

// The default backend: the embedded broker over the durable store, with its admin API.
class EmbeddedBackend final : public Backend
{
public:
    EmbeddedBackend(Broker *broker, const ServiceConfig &config);
    ~EmbeddedBackend() override;

    QString clusterName() const override;
    std::unique_ptr<ProducerLink> createProducer(const Pulsar::TopicName &topic, const Pulsar::ProducerOptions &options,
                                                 const ClientInfo &client, BrokerError *error) override;
    QList<ConsumerLink *> subscribe(const QList<Pulsar::TopicName> &topics, DeliverySink *sink,
                                    const SubscribeSpec &spec, BrokerError *error) override;
    QList<Pulsar::TopicName> topicsMatching(const QString &pattern, BrokerError *error) override;
    QSet<QString> tenantAdminRoles(const QString &tenant) const override;
    void handleAdmin(const HttpRequestHead &head, const QByteArray &path, const QByteArray &body, bool keepAlive,
                     AdminResponder respond) override;

private:
    Broker *m_broker;
    std::unique_ptr<AdminApi> m_admin;
};

} // namespace Proxy
