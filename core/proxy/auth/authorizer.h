#pragma once

#include "authconfig.h"
#include "protocol/topicname.h"

#include <QByteArray>
#include <QSet>
#include <QString>

namespace Proxy {

// What a WebSocket endpoint asks to do on a topic (spec 6.6): producers produce; consumers, readers and v3
// multi-topic consumers consume.
enum class TopicOperation
{
    Produce,
    Consume,
};

// Decides whether an authenticated role may do something, with the rules of Pulsar's PulsarAuthorizationProvider
// over the grants of the config file: super-users pass everything; otherwise a namespace grant, a topic grant
// (a partition inherits its partitioned topic's grant) or, when enabled, a wildcard grant ("prefix*", "*suffix")
// must carry the action; a consumer's subscription must be open to the role when the namespace restricts it; a
// v1 topic must belong to the local cluster (or "global"). When authorization is disabled everything passes.
class Authorizer final
{
public:
    Authorizer(const AuthConfig &config, QString localCluster);

    bool isEnabled() const { return m_enabled; }

    bool isSuperUser(const QString &role) const;

    // subscription: the consumer's subscription name; empty for producers and readers.
    bool authorize(const QString &role, const Pulsar::TopicName &topic, TopicOperation operation,
                   const QString &subscription = QString()) const;

    // Admin API: tenant, namespace and topic operations need a super-user or one of the tenant's admin roles
    // (TenantInfo.adminRoles); cluster and tenant creation need a super-user.
    bool canAdministerTenant(const QString &role, const QSet<QString> &tenantAdminRoles) const;
    bool canAdministerCluster(const QString &role) const;

    // Pulsar's handshake message for 403.
    static QByteArray notAuthorizedMessage() { return QByteArrayLiteral("Not authorized"); }

private:
    bool grantAllows(const RoleGrants &grants, const QString &role, AuthAction action) const;

    bool m_enabled;
    bool m_wildcards;
    QString m_localCluster;
    QSet<QString> m_superUsers;
    QHash<QString, RoleGrants> m_namespaceGrants;
    QHash<QString, RoleGrants> m_topicGrants;
    QHash<QString, QHash<QString, QSet<QString>>> m_subscriptionRoles;
};

} // namespace Proxy
