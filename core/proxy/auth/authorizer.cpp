#include "authorizer.h"

namespace Proxy {

Authorizer::Authorizer(const AuthConfig &config, QString localCluster)
    : m_enabled(config.authorizationEnabled)
    , m_wildcards(config.authorizationAllowWildcardsMatching)
    , m_localCluster(std::move(localCluster))
    , m_superUsers(config.superUserRoles)
    , m_namespaceGrants(config.namespaceGrants)
    , m_topicGrants(config.topicGrants)
    , m_subscriptionRoles(config.subscriptionRoles)
{}

bool Authorizer::isSuperUser(const QString &role) const
{
    return !role.isEmpty() && m_superUsers.contains(role);
}

bool Authorizer::grantAllows(const RoleGrants &grants, const QString &role, AuthAction action) const
{
    const auto exact = grants.constFind(role);
    if (exact != grants.constEnd() && hasAction(*exact, action))
        return true;
    if (!m_wildcards)
        return false;
    for (auto it = grants.constBegin(); it != grants.constEnd(); ++it) {
        const QString &permitted = it.key();
        if (permitted.isEmpty() || !hasAction(it.value(), action))
            continue;
        if (permitted.endsWith(QLatin1Char('*')) && role.startsWith(permitted.chopped(1)))
            return true;
        if (permitted.startsWith(QLatin1Char('*')) && role.endsWith(permitted.mid(1)))
            return true;
    }
    return false;
}

bool Authorizer::authorize(const QString &role, const Pulsar::TopicName &topic, TopicOperation operation,
                           const QString &subscription) const
{
    if (!m_enabled)
        return true;
    if (isSuperUser(role))
        return true;
    if (role.isEmpty() || !topic.isValid())
        return false;
    // Pulsar's checkCluster: a v1 name carries its cluster, and only the local one (or "global") is served.
    if (!topic.isV2() && topic.cluster() != m_localCluster && topic.cluster() != QLatin1String("global"))
        return false;

    const QString ns = topic.namespaceName().toString();
    const AuthAction action = operation == TopicOperation::Produce ? AuthAction::Produce : AuthAction::Consume;
    if (operation == TopicOperation::Consume && !subscription.isEmpty()) {
        // A subscription listed for the namespace is reserved to its roles; an empty list reserves nothing.
        const auto bySubscription = m_subscriptionRoles.constFind(ns);
        if (bySubscription != m_subscriptionRoles.constEnd()) {
            const auto roles = bySubscription->constFind(subscription);
            if (roles != bySubscription->constEnd() && !roles->isEmpty() && !roles->contains(role))
                return false;
        }
    }

    const auto nsGrants = m_namespaceGrants.constFind(ns);
    if (nsGrants != m_namespaceGrants.constEnd() && grantAllows(*nsGrants, role, action))
        return true;
    // Granting on a partitioned topic in Pulsar also writes the grant for each partition, so a partition is
    // covered by its partitioned topic's grant as well as by one of its own.
    auto topicGrants = m_topicGrants.constFind(topic.toString());
    if (topicGrants != m_topicGrants.constEnd() && grantAllows(*topicGrants, role, action))
        return true;
    if (topic.isPartitioned()) {
        topicGrants = m_topicGrants.constFind(topic.partitionedTopicName());
        if (topicGrants != m_topicGrants.constEnd() && grantAllows(*topicGrants, role, action))
            return true;
    }
    return false;
}

bool Authorizer::canAdministerTenant(const QString &role, const QSet<QString> &tenantAdminRoles) const
{
    if (!m_enabled)
        return true;
    return isSuperUser(role) || (!role.isEmpty() && tenantAdminRoles.contains(role));
}

bool Authorizer::canAdministerCluster(const QString &role) const
{
    return !m_enabled || isSuperUser(role);
}

} // namespace Proxy
