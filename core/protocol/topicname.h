#pragma once

#include "error.h"

#include <QHashFunctions>
#include <QString>
#include <QStringView>

// Pulsar's topic and namespace names, parsed and printed exactly as pulsar-common's TopicName, NamespaceName,
// NamedEntity and Codec do in the released versions (spec "era R", which still accepts v1 names with a cluster).
// The client and the proxy both use these, so a name that Pulsar accepts or refuses is accepted or refused here
// with the same words.
namespace Pulsar {

enum class TopicDomain
{
    Persistent,
    NonPersistent,
};

// "persistent" or "non-persistent".
QString topicDomainName(TopicDomain domain);
// Case-insensitive like TopicDomain.getEnum (Java's equalsIgnoreCase, so "PERSISTENT" is fine too).
// Error: InvalidTopicName, "Invalid enum value <x>".
Result<TopicDomain> topicDomainFromString(QStringView text);

// A namespace: tenant/namespace (v2) or property/cluster/namespace (v1). Each part must be a Pulsar named
// entity: non-empty and made of [-=:.A-Za-z0-9_] only.
class NamespaceName
{
public:
    NamespaceName() = default;

    // NamespaceName.get(String): "t/ns" or "p/c/ns". Every failure is reported the way Pulsar's constructor
    // wraps it: "Invalid namespace format. expected <tenant>/<namespace> or <tenant>/<cluster>/<namespace> but
    // got: X" (an empty string gives "Invalid null namespace: "). Error code InvalidNamespaceName.
    static Result<NamespaceName> parse(const QString &name);
    // NamespaceName.get(tenant, namespace) and get(tenant, cluster, namespace): the errors are not wrapped,
    // "Invalid namespace format. namespace: t/ns" for an empty part, "Invalid named entity: X" for a bad one.
    static Result<NamespaceName> fromParts(const QString &tenant, const QString &localName);
    static Result<NamespaceName> fromParts(const QString &tenant, const QString &cluster, const QString &localName);

    // Pulsar's NamedEntity.checkName: ^[-=:.\w]*$ with Java's ASCII \w. Note that the empty string passes
    // this check; emptiness is refused by the namespace rules, not here.
    static bool isValidNamedEntity(QStringView name);

    bool isValid() const { return !m_tenant.isEmpty(); }
    QString tenant() const { return m_tenant; }
    // Empty for a v2 namespace.
    QString cluster() const { return m_cluster; }
    QString localName() const { return m_localName; }
    bool isV2() const { return m_cluster.isEmpty(); }
    QString toString() const;

    friend bool operator==(const NamespaceName &a, const NamespaceName &b)
    {
        return a.m_tenant == b.m_tenant && a.m_cluster == b.m_cluster && a.m_localName == b.m_localName;
    }
    friend bool operator!=(const NamespaceName &a, const NamespaceName &b) { return !(a == b); }

private:
    QString m_tenant;
    QString m_cluster;
    QString m_localName;
};

// A parsed topic name, always held in Pulsar's normalised full form ("persistent://t/ns/topic" or, for v1,
// "persistent://p/cluster/ns/topic"). A default-constructed TopicName is empty and invalid.
class TopicName
{
public:
    TopicName() = default;

    // TopicName's constructor, era R. All errors have code InvalidTopicName and Pulsar's message.
    static Result<TopicName> parse(const QString &name);

    // Codec.encode: application/x-www-form-urlencoded UTF-8 (space -> '+', A-Za-z0-9 and -_.* kept, the rest
    // %XX upper-case; a lone surrogate becomes %3F as Java's encoder replaces it with '?').
    static QString encodeComponent(const QString &text);
    // Codec.decode (URLDecoder): '+' -> space, %XX runs decoded as UTF-8. Malformed escapes are errors with
    // Java's message ("URLDecoder: Incomplete trailing escape (%) pattern", "URLDecoder: Illegal hex characters
    // in escape (%) pattern - ..."), error code InvalidPath.
    static Result<QString> decodeComponent(QStringView raw);
    // Pulsar's getPartitionIndex(String) on any string: the number after the last "-partition-", or -1 when it is
    // not a canonical non-negative int ("-partition-01", "-partition--1", "-partition-+1" are not partitions).
    static int partitionIndexOf(QStringView name);

    bool isValid() const { return !m_fullName.isEmpty(); }
    TopicDomain domain() const { return m_domain; }
    QString tenant() const { return m_tenant; }
    // Empty for v2 names.
    QString cluster() const { return m_cluster; }
    QString namespacePortion() const { return m_namespacePortion; }
    QString localName() const { return m_localName; }
    NamespaceName namespaceName() const;
    bool isV2() const { return m_cluster.isEmpty(); }
    bool isPersistent() const { return m_domain == TopicDomain::Persistent; }
    QString toString() const { return m_fullName; }

    int partitionIndex() const { return m_partitionIndex; }
    bool isPartitioned() const { return m_partitionIndex != -1; }
    // The full name without the "-partition-N" suffix (the name itself when not a partition).
    QString partitionedTopicName() const;
    // getPartition(i): this name itself for -1 or when it already ends with "-partition-<i>".
    TopicName partition(int index) const;

    QString encodedLocalName() const { return encodeComponent(m_localName); }
    // getRestPath(): "persistent/t/ns/<encoded local>" (v1: "persistent/p/c/ns/<encoded local>").
    QString restPath() const;

    friend bool operator==(const TopicName &a, const TopicName &b) { return a.m_fullName == b.m_fullName; }
    friend bool operator!=(const TopicName &a, const TopicName &b) { return !(a == b); }

private:
    QString m_fullName;
    TopicDomain m_domain = TopicDomain::Persistent;
    QString m_tenant;
    QString m_cluster;
    QString m_namespacePortion;
    QString m_localName;
    int m_partitionIndex = -1;
};

inline size_t qHash(const TopicName &topic, size_t seed = 0) noexcept
{
    return qHash(topic.toString(), seed);
}

} // namespace Pulsar
