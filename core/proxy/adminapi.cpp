#include "adminapi.h"

#include "broker/broker.h"
#include "broker/topic.h"
#include "protocol/jsonwriter.h"
#include "protocol/messageid.h"
#include "protocol/options.h"
#include "protocol/timeformat.h"
#include "protocol/topicname.h"
#include "store/messagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QPointer>

#include <algorithm>
#include <limits>
#include <optional>

namespace Proxy {

struct AdminApi::Reply
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct AdminApi::Request
{
    QByteArray method;
    AdminPath path;
    QList<QPair<QString, QString>> query;
    QByteArray body;
    QString host;

    QString queryValue(QLatin1String name, const QString &fallback = QString()) const
    {
        for (const auto &item : query) {
            if (item.first == name)
                return item.second;
        }
        return fallback;
    }
    // JAX-RS boolean query parameters: "true" in any case is true, anything else false.
    bool flag(QLatin1String name, bool fallback) const
    {
        for (const auto &item : query) {
            if (item.first == name)
                return item.second.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        }
        return fallback;
    }
};

// One call on a topic: the name, what follows it in the path, and what the broker knows of it.
struct AdminApi::TopicCall
{
    const Request *request = nullptr;
    Pulsar::TopicName name;
    QStringList rest;   // path components after the topic
    int partitions = 0; // > 0: a partitioned topic
    Topic *topic = nullptr;
};

namespace {

using Reply = AdminApi::Reply;

Reply jsonReply(int status, const QByteArray &body)
{
    return Reply{status, "application/json", body, {}};
}

Reply errorReply(int status, const QString &reason)
{
    Pulsar::JsonWriter writer;
    writer.beginObject();
    writer.field("reason", reason);
    writer.endObject();
    return jsonReply(status, writer.take());
}

Reply noContent()
{
    return Reply{204, QByteArray(), QByteArray(), {}};
}

Reply stringList(const QStringList &list)
{
    Pulsar::JsonWriter writer;
    writer.beginArray();
    for (const QString &s : list)
        writer.value(s);
    writer.endArray();
    return jsonReply(200, writer.take());
}

Reply notFound()
{
    return errorReply(404, QStringLiteral("Not Found"));
}

Reply methodNotAllowed()
{
    return errorReply(405, QStringLiteral("Method Not Allowed"));
}

// The texts of AdminResource's helpers.
QString topicNotFound(const QString &topic)
{
    return QStringLiteral("Topic ") + topic + QStringLiteral(" not found");
}

QString partitionedTopicNotFound(const QString &topic)
{
    return QStringLiteral("Partitioned Topic ") + topic + QStringLiteral(" not found");
}

QString subscriptionNotFound(const QString &topic, const QString &subscription)
{
    return QStringLiteral("Subscription ") + subscription + QStringLiteral(" not found for topic ") + topic;
}

const QString kTopicBusy = QStringLiteral("Topic has active producers/subscriptions");
const QString kSubscriptionBusy = QStringLiteral("Subscription has active connected consumers");
const QString kNamespaceMissing = QStringLiteral("Namespace does not exist");
const QString kTenantMissing = QStringLiteral("Tenant does not exist");

bool isConnected(const Topic &topic)
{
    if (!topic.producers().isEmpty())
        return true;
    for (const auto &s : topic.subscriptions()) {
        if (!s.second->consumers().empty())
            return true;
    }
    return false;
}

// The JSON form of Pulsar's MessageIdImpl: what lastMessageId and terminate answer.
Reply messageIdReply(qint64 ledgerId, qint64 entryId, int partition)
{
    Pulsar::JsonWriter writer;
    writer.beginObject();
    writer.field("ledgerId", ledgerId);
    writer.field("entryId", entryId);
    writer.field("partitionIndex", partition);
    writer.endObject();
    return jsonReply(200, writer.take());
}

// A path parameter that JAX-RS converts to a number: a value it cannot convert makes the route not match (404).
std::optional<qint64> pathNumber(const QString &text)
{
    const auto parsed = Pulsar::parseJavaLong(text);
    if (!parsed)
        return std::nullopt;
    return *parsed;
}

// The body of create-subscription and reset-cursor: Pulsar's MessageIdImpl ({ledgerId, entryId, ...}).
// An empty body means MessageId.latest.
std::optional<std::pair<qint64, qint64>> messageIdBody(const QByteArray &body)
{
    if (body.trimmed().isEmpty()) {
        const auto latest = Pulsar::MessageId::latest();
        return std::make_pair(latest.ledgerId, latest.entryId);
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const auto number = [&](QLatin1String name) -> std::optional<qint64> {
        const QJsonValue value = object.value(name);
        if (value.isDouble()) {
            // QJsonDocument reads every number as a double, so Long.MAX_VALUE (MessageId.latest) arrives rounded up
            // to 2^63; the ends of the range are taken as they were meant.
            const double d = value.toDouble();
            if (d >= 9.2233720368547758e18)
                return std::numeric_limits<qint64>::max();
            if (d <= -9.2233720368547758e18)
                return std::numeric_limits<qint64>::min();
            return qint64(d);
        }
        if (value.isString()) {
            // Jackson coerces numeric strings into longs.
            const auto parsed = Pulsar::parseJavaLong(value.toString());
            return parsed ? std::optional<qint64>(*parsed) : std::nullopt;
        }
        return std::nullopt;
    };
    const auto ledgerId = number(QLatin1String("ledgerId"));
    const auto entryId = number(QLatin1String("entryId"));
    if (!ledgerId || !entryId)
        return std::nullopt;
    // ResetCursorData.isExcluded, which Jackson reads as "excluded" (from its accessors) and Pulsar therefore
    // ignores under its field name: the position is just after the given message rather than at it.
    const bool excluded = object.value(QLatin1String("excluded")).toBool(false);
    if (excluded && *entryId < std::numeric_limits<qint64>::max() && *entryId >= 0)
        return std::make_pair(*ledgerId, *entryId + 1);
    return std::make_pair(*ledgerId, *entryId);
}

// Header names may only carry token characters; a property whose key is not one still travels in the JSON map.
bool isHeaderToken(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                        QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

// Header values must not be able to end the header: line breaks become spaces.
QByteArray headerValue(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    bytes.replace('\r', ' ');
    bytes.replace('\n', ' ');
    return bytes;
}

// PersistentTopicsBase.generateResponseWithEntry: the payload as the body, the metadata in X-Pulsar-* headers.
Reply entryReply(const Topic &topic, qint64 entryId, const BrokerMessage &message)
{
    Reply reply;
    reply.contentType = "application/octet-stream";
    reply.body = message.payload;
    const auto add = [&reply](const QByteArray &name, const QByteArray &value) { reply.headers.append({name, value}); };
    add("X-Pulsar-Message-ID", QByteArray::number(topic.ledgerId()) + ':' + QByteArray::number(entryId));
    for (const auto &property : message.properties) {
        if (isHeaderToken(property.first))
            add("X-Pulsar-PROPERTY-" + property.first.toUtf8(), headerValue(property.second));
    }
    // The whole map as JSON as well (spec 9), for clients that read properties from one header.
    Pulsar::JsonWriter map;
    map.beginObject();
    for (const auto &property : message.properties) {
        map.key(property.first);
        map.value(property.second);
    }
    map.endObject();
    add("X-Pulsar-PROPERTY", headerValue(QString::fromUtf8(map.take())));
    add("X-Pulsar-publish-time", Pulsar::formatPulsarTimeLocal(message.publishTimeMs).toLatin1());
    if (message.eventTimeMs != 0)
        add("X-Pulsar-event-time", Pulsar::formatPulsarTimeLocal(message.eventTimeMs).toLatin1());
    if (message.deliverAtMs != 0)
        add("X-Pulsar-deliver-at-time", Pulsar::formatPulsarTimeLocal(message.deliverAtMs).toLatin1());
    add("X-Pulsar-Is-Encrypted", "false");
    if (!message.producerName.isEmpty())
        add("X-Pulsar-producer-name", headerValue(message.producerName));
    if (message.sequenceId >= 0)
        add("X-Pulsar-sequence-id", QByteArray::number(message.sequenceId));
    for (const QString &cluster : message.replicationClusters)
        add("X-Pulsar-replicated-to", headerValue(cluster));
    if (message.key)
        add("X-Pulsar-partition-key", headerValue(*message.key));
    add("X-Pulsar-uncompressed-size", QByteArray::number(message.payload.size()));
    if (message.key)
        add("X-Pulsar-partition-key-b64-encoded", "false");
    add("X-Pulsar-txn-uncommitted", "false");
    return reply;
}

// Counts the answers of an operation spread over the partitions of a topic; the first failure is the answer.
struct FanOut
{
    int pending = 0;
    std::optional<Reply> failure;
    AdminApi::ReplyFn done;

    void finish(const std::optional<Reply> &result)
    {
        if (result && !failure)
            failure = result;
        if (--pending == 0)
            done(failure ? *failure : noContent());
    }
};

} // namespace

std::optional<AdminPath> AdminPath::parse(const QByteArray &rawPath, QString *decodeError, int *decodeStatus)
{
    static const QByteArray v2Prefix("/admin/v2/");
    static const QByteArray v1Prefix("/admin/");
    AdminPath path;
    QList<QByteArray> raw;
    if (rawPath.startsWith(v2Prefix)) {
        raw = rawPath.mid(v2Prefix.size()).split('/');
    } else if (rawPath.startsWith(v1Prefix)) {
        raw = rawPath.mid(v1Prefix.size()).split('/');
        path.v1 = true;
    } else {
        return std::nullopt;
    }
    raw.removeAll(QByteArray());
    if (path.v1) {
        // Only the v1 forms of the namespace and topic resources are served; the rest of /admin/ is not.
        const QByteArray area = raw.value(0);
        if (area != "namespaces" && area != "persistent" && area != "non-persistent")
            return std::nullopt;
    }
    const auto fail = [&](const QString &message, int status) {
        if (decodeError)
            *decodeError = message;
        if (decodeStatus)
            *decodeStatus = status;
        return std::nullopt;
    };
    for (const QByteArray &component : std::as_const(raw)) {
        const auto decoded = Pulsar::TopicName::decodeComponent(QString::fromUtf8(component));
        if (!decoded)
            return fail(decoded.error().message, 400);
        path.segments.append(*decoded);
    }
    const int subscriptionAt = path.afterNamespace() + 2;
    if (path.area() != QLatin1String("namespaces") && path.segments.size() > subscriptionAt &&
        path.segments[subscriptionAt - 1] == QLatin1String("subscription")) {
        const auto decoded = Pulsar::TopicName::decodeComponent(path.segments[subscriptionAt]);
        if (!decoded)
            return fail(decoded.error().message, 500);
        path.segments[subscriptionAt] = *decoded;
    }
    return path;
}

QString AdminPath::namespaceName() const
{
    if (!hasNamespace())
        return QString();
    return segments.mid(1, namespaceParts()).join(QLatin1Char('/'));
}

bool AdminPath::hasValidNamespace() const
{
    if (!hasNamespace())
        return false;
    const auto parsed = v1 ? Pulsar::NamespaceName::fromParts(segments[1], segments[2], segments[3])
                           : Pulsar::NamespaceName::fromParts(segments[1], segments[2]);
    return parsed.ok();
}

AdminApi::AdminApi(Broker *broker, const ServiceConfig &config)
    : m_broker(broker)
    , m_config(config)
    , m_stats(broker)
    , m_alive(std::make_shared<bool>(true))
{}

AdminApi::~AdminApi()
{
    *m_alive = false;
}

void AdminApi::handle(const HttpRequestHead &head, const QByteArray &path, const QByteArray &body, bool keepAlive,
                      Respond respond)
{
    const auto send = [keepAlive, respond](const Reply &reply) {
        respond(httpResponse(reply.status, reply.contentType, reply.body, reply.headers, !keepAlive));
    };
    QString decodeError;
    int decodeStatus = 400;
    auto parsed = AdminPath::parse(path, &decodeError, &decodeStatus);
    if (!parsed) {
        send(decodeError.isEmpty() ? notFound() : errorReply(decodeStatus, decodeError));
        return;
    }
    Request request;
    request.method = head.method;
    request.path = std::move(*parsed);
    request.query = head.queryItems();
    request.body = body;
    request.host = QString::fromLatin1(head.header("host").value_or(QByteArray()));
    route(request, send);
}

void AdminApi::route(const Request &request, const ReplyFn &reply)
{
    const QStringList &s = request.path.segments;
    if (s.isEmpty()) {
        reply(notFound());
        return;
    }
    const QString &root = s.first();
    if (root == QLatin1String("clusters") && s.size() == 1) {
        reply(request.method == "GET" ? stringList(m_broker->clusters()) : methodNotAllowed());
        return;
    }
    if (root == QLatin1String("brokers") && s.size() == 2 &&
        (s[1] == QLatin1String("health") || s[1] == QLatin1String("version"))) {
        if (request.method != "GET") {
            reply(methodNotAllowed());
            return;
        }
        const QByteArray text = s[1] == QLatin1String("health") ? QByteArray("ok") : m_config.version.toUtf8();
        reply(Reply{200, "text/plain", text, {}});
        return;
    }
    if (root == QLatin1String("tenants")) {
        reply(tenants(request));
        return;
    }
    if (root == QLatin1String("namespaces")) {
        reply(namespaces(request));
        return;
    }
    if (root == QLatin1String("persistent") || root == QLatin1String("non-persistent")) {
        topics(request, reply);
        return;
    }
    reply(notFound());
}

AdminApi::Reply AdminApi::tenants(const Request &request)
{
    const QStringList &s = request.path.segments;
    if (s.size() == 1)
        return request.method == "GET" ? stringList(m_broker->tenants()) : methodNotAllowed();
    if (s.size() != 2)
        return notFound();
    const QString &name = s[1];
    BrokerError error;
    if (request.method == "GET") {
        const auto info = m_broker->tenant(name);
        if (!info)
            return errorReply(404, kTenantMissing);
        Pulsar::JsonWriter writer;
        writer.beginObject();
        writer.field("adminRoles", info->adminRoles);
        writer.field("allowedClusters", info->allowedClusters);
        writer.endObject();
        return jsonReply(200, writer.take());
    }
    if (request.method == "PUT") {
        if (name.isEmpty() || !Pulsar::NamespaceName::isValidNamedEntity(name))
            return errorReply(412, QStringLiteral("Tenant name is not valid"));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (!request.body.trimmed().isEmpty() && (parseError.error != QJsonParseError::NoError || !document.isObject()))
            return errorReply(400, QStringLiteral("Cannot deserialize the tenant info: ") + parseError.errorString());
        TenantInfo info;
        const QJsonObject object = document.object();
        for (const auto v : object.value(QLatin1String("adminRoles")).toArray())
            info.adminRoles.append(v.toString());
        for (const auto v : object.value(QLatin1String("allowedClusters")).toArray())
            info.allowedClusters.append(v.toString());
        // TenantsBase.validateClustersAsync: at least one cluster, none blank, all known.
        const bool blank = std::any_of(info.allowedClusters.cbegin(), info.allowedClusters.cend(),
                                       [](const QString &c) { return c.trimmed().isEmpty(); });
        if (info.allowedClusters.isEmpty() || blank)
            return errorReply(412, QStringLiteral("Clusters can not be empty"));
        const QStringList known = m_broker->clusters();
        for (const QString &cluster : std::as_const(info.allowedClusters)) {
            if (!known.contains(cluster))
                return errorReply(412, QStringLiteral("Clusters do not exist"));
        }
        if (m_broker->tenant(name))
            return errorReply(409, QStringLiteral("Tenant already exists"));
        if (!m_broker->createTenant(name, info, &error))
            return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
        return noContent();
    }
    if (request.method == "DELETE") {
        if (!m_broker->deleteTenant(name, &error))
            return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
        return noContent();
    }
    return methodNotAllowed();
}

namespace {

// The Policies object Pulsar keeps for a namespace, with the values a fresh standalone namespace has
// (retention_policies and message TTL are unset, so Jackson leaves them out).
Reply policiesReply(const QString &cluster)
{
    Pulsar::JsonWriter w(1024);
    w.beginObject();
    w.beginObject("auth_policies");
    w.beginObject("namespace_auth");
    w.endObject();
    w.beginObject("destination_auth");
    w.endObject();
    w.beginObject("subscription_auth_roles");
    w.endObject();
    w.endObject();
    w.field("replication_clusters", QStringList{cluster});
    w.beginObject("bundles");
    w.field("boundaries",
            QStringList{QStringLiteral("0x00000000"), QStringLiteral("0x40000000"), QStringLiteral("0x80000000"),
                        QStringLiteral("0xc0000000"), QStringLiteral("0xffffffff")});
    w.field("numBundles", 4);
    w.endObject();
    for (const char *empty :
         {"backlog_quota_map", "clusterDispatchRate", "topicDispatchRate", "subscriptionDispatchRate",
          "replicatorDispatchRate", "clusterSubscribeRate", "publishMaxMessageRate", "latency_stats_sample_rate"}) {
        w.beginObject(empty);
        w.endObject();
    }
    w.field("deleted", false);
    w.field("encryption_required", false);
    w.field("subscription_auth_mode", QStringLiteral("None"));
    w.field("offload_threshold", -1);
    w.field("schema_auto_update_compatibility_strategy", QStringLiteral("Full"));
    w.field("schema_compatibility_strategy", QStringLiteral("UNDEFINED"));
    w.field("is_allow_auto_update_schema", true);
    w.field("schema_validation_enforced", false);
    w.beginArray("subscription_types_enabled");
    w.endArray();
    w.beginObject("properties");
    w.endObject();
    w.field("migrated", false);
    w.endObject();
    return jsonReply(200, w.take());
}

} // namespace

AdminApi::Reply AdminApi::namespaces(const Request &request)
{
    const AdminPath &path = request.path;
    const QStringList &s = path.segments;
    BrokerError error;
    if (s.size() == 2) {
        // Namespaces.getTenantNamespaces, the same in v1 and v2: every namespace of the tenant, v1 ones included.
        if (request.method != "GET")
            return methodNotAllowed();
        const QStringList list = m_broker->namespaces(s[1], &error);
        if (!error.detail.isEmpty())
            return errorReply(404, kTenantMissing);
        return stringList(list);
    }
    if (path.v1 && s.size() == 3) {
        // v1 Namespaces.getNamespacesForCluster: the property's namespaces on one cluster. A property without any
        // there (or none at all) has an empty list.
        if (request.method != "GET")
            return methodNotAllowed();
        if (!m_broker->clusters().contains(s[2]))
            return errorReply(404, QStringLiteral("Cluster does not exist"));
        QStringList list;
        const QString prefix = s[1] + QLatin1Char('/') + s[2] + QLatin1Char('/');
        for (const QString &ns : m_broker->namespaces(s[1], &error)) {
            if (ns.startsWith(prefix))
                list.append(ns);
        }
        return stringList(list);
    }
    if (!path.hasNamespace())
        return notFound();
    // validateNamespaceName comes first in every namespace resource of both versions.
    if (!path.hasValidNamespace())
        return errorReply(412, QStringLiteral("Namespace name is not valid"));
    const QString ns = path.namespaceName();
    const int at = path.afterNamespace();
    if (s.size() == at) {
        if (request.method == "GET") {
            if (!m_broker->hasNamespace(ns))
                return errorReply(404, kNamespaceMissing);
            return policiesReply(m_broker->config().clusterName);
        }
        if (request.method == "PUT") {
            const auto tenant = m_broker->tenant(s[1]);
            if (!tenant)
                return errorReply(404, kTenantMissing);
            // v1 Namespaces.createNamespace: the tenant must be allowed on the namespace's cluster
            // (validateClusterForTenant).
            if (path.v1 && !tenant->allowedClusters.contains(s[2]))
                return errorReply(403,
                                  QStringLiteral("Cluster [") + s[2] +
                                      QStringLiteral("] is not in the list of allowed clusters list for tenant [") +
                                      s[1] + QLatin1Char(']'));
            if (m_broker->hasNamespace(ns))
                return errorReply(409, QStringLiteral("Namespace already exists"));
            if (!m_broker->createNamespace(ns, &error))
                return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
            return noContent();
        }
        if (request.method == "DELETE") {
            if (!m_broker->deleteNamespace(ns, &error))
                return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
            return noContent();
        }
        return methodNotAllowed();
    }
    // The list of a namespace's topics is ".../topics" in v2 and ".../destinations" in v1.
    const QLatin1String topicList = path.v1 ? QLatin1String("destinations") : QLatin1String("topics");
    if (s.size() == at + 1 && s[at] == topicList) {
        if (request.method != "GET")
            return methodNotAllowed();
        // Namespaces.getTopics: mode is an enum query parameter defaulting to PERSISTENT; an unknown value does not
        // convert, and JAX-RS answers 404 for that.
        const QString mode = request.queryValue(QLatin1String("mode"), QStringLiteral("PERSISTENT"));
        const bool persistent = mode == QLatin1String("PERSISTENT") || mode == QLatin1String("ALL");
        const bool nonPersistent = mode == QLatin1String("NON_PERSISTENT") || mode == QLatin1String("ALL");
        if (!persistent && !nonPersistent)
            return notFound();
        if (!m_broker->hasNamespace(ns))
            return errorReply(404, kNamespaceMissing);
        QStringList all;
        if (persistent)
            all += m_broker->topics(ns, true);
        if (nonPersistent)
            all += m_broker->topics(ns, false);
        return stringList(all);
    }
    if (s.size() == at + 1 && s[at] == QLatin1String("autoTopicCreation")) {
        // Namespaces.setAutoTopicCreation / removeAutoTopicCreation: the namespace's override of the broker's
        // allowAutoTopicCreation (only the on/off switch; topicType and defaultNumPartitions are not modelled).
        if (!m_broker->hasNamespace(ns))
            return errorReply(404, kNamespaceMissing);
        if (request.method == "DELETE") {
            m_broker->setAutoTopicCreation(ns, std::nullopt);
            return noContent();
        }
        if (request.method != "POST")
            return methodNotAllowed();
        const QJsonValue allow =
            QJsonDocument::fromJson(request.body).object().value(QLatin1String("allowAutoTopicCreation"));
        if (!allow.isBool())
            return errorReply(400, QStringLiteral("Invalid autoTopicCreation override"));
        m_broker->setAutoTopicCreation(ns, allow.toBool());
        return noContent();
    }
    // Any other single component after the namespace matches Pulsar's DELETE …/{namespace}/{bundle} (deleting a
    // bundle, not modelled here), so JAX-RS refuses the other methods with 405.
    if (s.size() == at + 1 && request.method != "DELETE")
        return methodNotAllowed();
    return notFound();
}

void AdminApi::topics(const Request &request, const ReplyFn &reply)
{
    const AdminPath &path = request.path;
    const QStringList &s = path.segments;
    if (!path.hasNamespace()) {
        reply(notFound());
        return;
    }
    const bool persistent = s[0] == QLatin1String("persistent");
    if (!path.hasValidNamespace()) {
        reply(errorReply(412, QStringLiteral("Namespace name is not valid")));
        return;
    }
    const QString ns = path.namespaceName();
    const int at = path.afterNamespace();
    const bool listing = s.size() == at || (s.size() == at + 1 && s[at] == QLatin1String("partitioned"));
    if (listing && request.method == "GET") {
        if (!m_broker->hasNamespace(ns)) {
            reply(errorReply(404, kNamespaceMissing));
            return;
        }
        if (s.size() == at + 1) {
            reply(stringList(m_broker->partitionedTopics(ns, persistent)));
        } else if (path.v1 && !persistent) {
            // v1 NonPersistentTopics.getList collects the topics the broker holds in each bundle of the namespace,
            // whatever their domain: Pulsar 4.0 lists the persistent ones there too.
            reply(stringList(m_broker->topics(ns, false) + m_broker->topics(ns, true)));
        } else {
            reply(stringList(m_broker->topics(ns, persistent)));
        }
        return;
    }
    if (s.size() == at) {
        reply(methodNotAllowed());
        return;
    }
    const auto name = Pulsar::TopicName::parse(s[0] + QStringLiteral("://") + ns + QLatin1Char('/') + s[at]);
    if (!name) {
        reply(errorReply(412, QStringLiteral("Topic name is not valid")));
        return;
    }
    // The v1 topic resources do not look the namespace up first: a topic of an unknown v1 namespace is answered as a
    // topic that does not exist ("Topic persistent://p/c/nowhere/t not found").
    if (!path.v1 && !m_broker->hasNamespace(ns)) {
        reply(errorReply(404, kNamespaceMissing));
        return;
    }
    TopicCall call;
    call.request = &request;
    call.name = *name;
    call.rest = s.mid(at + 1);
    call.partitions = m_broker->partitionCount(name->toString());
    call.topic = call.partitions > 0 ? nullptr : m_broker->adminTopic(*name);
    topicOperation(call, reply);
}

void AdminApi::topicOperation(const TopicCall &call, const ReplyFn &reply)
{
    const QByteArray &method = call.request->method;
    const QStringList &rest = call.rest;
    const auto only = [&](const char *allowed, auto &&run) {
        if (method != allowed)
            reply(methodNotAllowed());
        else
            run();
    };
    if (rest.isEmpty()) {
        if (method == "PUT")
            reply(createTopic(call));
        else if (method == "DELETE")
            reply(deleteTopic(call));
        else
            reply(methodNotAllowed());
        return;
    }
    if (rest.first() == QLatin1String("subscription") || rest.first() == QLatin1String("ledger")) {
        subscriptionOperation(call, reply);
        return;
    }
    if (rest.size() != 1) {
        reply(notFound());
        return;
    }
    const QString &op = rest.first();
    const QString full = call.name.toString();
    // Topic properties and examine-message came with v2 and have no v1 resource.
    if (call.request->path.v1 && (op == QLatin1String("properties") || op == QLatin1String("examinemessage"))) {
        reply(notFound());
        return;
    }
    if (op == QLatin1String("partitions")) {
        if (method == "GET")
            reply(partitionMetadata(call));
        else if (method == "PUT")
            reply(createPartitioned(call));
        else if (method == "DELETE")
            reply(deletePartitioned(call));
        else
            reply(methodNotAllowed());
    } else if (op == QLatin1String("stats") || op == QLatin1String("internalStats")) {
        only("GET", [&] { reply(stats(call, op == QLatin1String("internalStats"))); });
    } else if (op == QLatin1String("partitioned-stats") || op == QLatin1String("partitioned-internalStats")) {
        only("GET", [&] { reply(partitionedStats(call, op == QLatin1String("partitioned-internalStats"))); });
    } else if (op == QLatin1String("subscriptions")) {
        only("GET", [&] { reply(subscriptions(call)); });
    } else if (op == QLatin1String("lastMessageId")) {
        only("GET", [&] {
            if (!call.topic)
                reply(errorReply(404, topicNotFound(full)));
            else if (!call.topic->isPersistent())
                reply(errorReply(405, QStringLiteral("GetLastMessageId on a non-persistent topic is not allowed")));
            else
                reply(messageIdReply(call.topic->ledgerId(), call.topic->lastEntryId(), call.name.partitionIndex()));
        });
    } else if (op == QLatin1String("terminate")) {
        only("POST", [&] { reply(terminate(call)); });
    } else if (op == QLatin1String("unload")) {
        // Unloading moves a topic to another broker; a single broker keeps it, and its clients stay connected, as
        // those of Pulsar's WebSocket service reconnect without their WebSocket noticing.
        only("PUT",
             [&] { reply(call.topic || call.partitions > 0 ? noContent() : errorReply(404, topicNotFound(full))); });
    } else if (op == QLatin1String("properties")) {
        only("GET", [&] {
            if (!call.topic && call.partitions == 0) {
                reply(errorReply(404, topicNotFound(full)));
                return;
            }
            const QMap<QString, QString> properties = m_broker->topicProperties(full);
            Pulsar::JsonWriter writer;
            writer.beginObject();
            for (auto it = properties.cbegin(); it != properties.cend(); ++it) {
                writer.key(it.key());
                writer.value(it.value());
            }
            writer.endObject();
            reply(jsonReply(200, writer.take()));
        });
    } else if (op == QLatin1String("examinemessage")) {
        only("GET", [&] { examine(call, reply); });
    } else {
        reply(notFound());
    }
}

void AdminApi::subscriptionOperation(const TopicCall &call, const ReplyFn &reply)
{
    const QByteArray &method = call.request->method;
    const QStringList &rest = call.rest;
    if (rest.first() == QLatin1String("ledger")) {
        if (rest.size() != 4 || rest[2] != QLatin1String("entry")) {
            reply(notFound());
            return;
        }
        if (method != "GET") {
            reply(methodNotAllowed());
            return;
        }
        messageById(call, reply);
        return;
    }
    if (rest.size() < 2) {
        reply(notFound());
        return;
    }
    const QString &subscription = rest[1];
    const QString full = call.name.toString();
    if (rest.size() == 2) {
        if (method == "PUT")
            reply(createSubscription(call, subscription));
        else if (method == "DELETE")
            reply(deleteSubscription(call, subscription));
        else
            reply(methodNotAllowed());
        return;
    }
    const QString &op = rest[2];
    // Operations on one existing subscription of a non-partitioned topic share their refusals.
    const auto withSubscription = [&](auto &&run) {
        if (!call.topic) {
            reply(errorReply(404, topicNotFound(full)));
            return;
        }
        if (!call.topic->subscription(subscription)) {
            reply(errorReply(404, subscriptionNotFound(full, subscription)));
            return;
        }
        run(call.topic->subscription(subscription));
    };
    if (rest.size() == 3 && op == QLatin1String("skip_all")) {
        if (method != "POST") {
            reply(methodNotAllowed());
            return;
        }
        if (call.partitions > 0) {
            const QList<Topic *> parts = partitionTopics(call.name, call.partitions);
            for (Topic *t : parts) {
                if (!t || !t->subscription(subscription)) {
                    reply(errorReply(404, subscriptionNotFound(full, subscription)));
                    return;
                }
            }
            for (Topic *t : parts)
                t->subscription(subscription)->skipAll();
            reply(noContent());
            return;
        }
        withSubscription([&](Subscription *s) {
            s->skipAll();
            reply(noContent());
        });
        return;
    }
    if (rest.size() == 3 && op == QLatin1String("resetcursor")) {
        if (method != "POST") {
            reply(methodNotAllowed());
            return;
        }
        if (call.partitions > 0) {
            reply(errorReply(405, QStringLiteral("Reset-cursor at position is not allowed for partitioned-topic")));
            return;
        }
        const auto position = messageIdBody(call.request->body);
        if (!position) {
            reply(errorReply(400, QStringLiteral("Cannot deserialize the message id")));
            return;
        }
        withSubscription([&](Subscription *) {
            m_broker->resetCursorToPosition(call.topic, subscription, position->first, position->second);
            reply(noContent());
        });
        return;
    }
    if (rest.size() != 4) {
        reply(notFound());
        return;
    }
    const QString &argument = rest[3];
    if (op == QLatin1String("position")) {
        if (method != "GET")
            reply(methodNotAllowed());
        else
            peek(call, subscription, argument, reply);
    } else if (op == QLatin1String("skip")) {
        if (method != "POST") {
            reply(methodNotAllowed());
            return;
        }
        const auto count = pathNumber(argument);
        if (!count || *count > std::numeric_limits<int>::max()) {
            reply(notFound());
            return;
        }
        if (call.partitions > 0) {
            reply(errorReply(405, QStringLiteral("Skip messages on a partitioned topic is not allowed")));
            return;
        }
        withSubscription([&](Subscription *s) {
            s->skip(*count);
            reply(noContent());
        });
    } else if (op == QLatin1String("expireMessages")) {
        if (method != "POST")
            reply(methodNotAllowed());
        else
            expire(call, subscription, argument, reply);
    } else if (op == QLatin1String("resetcursor")) {
        if (method != "POST")
            reply(methodNotAllowed());
        else
            resetToTime(call, subscription, argument, reply);
    } else {
        reply(notFound());
    }
}

QList<Topic *> AdminApi::partitionTopics(const Pulsar::TopicName &base, int partitions) const
{
    QList<Topic *> result;
    for (int i = 0; i < partitions; ++i)
        result.append(m_broker->adminTopic(base.partition(i)));
    return result;
}

AdminApi::Reply AdminApi::partitionMetadata(const TopicCall &call)
{
    const auto metadata = [](int partitions) {
        Pulsar::JsonWriter writer;
        writer.beginObject();
        writer.field("partitions", partitions);
        writer.field("deleted", false);
        writer.endObject();
        return jsonReply(200, writer.take());
    };
    if (call.partitions > 0)
        return metadata(call.partitions);
    // With checkAllowAutoCreation the caller is a client about to create the topic; otherwise a topic that does
    // not exist is a 404, as PersistentTopicsBase.internalGetPartitionedMetadataAsync answers since Pulsar 3.x.
    if (call.request->flag(QLatin1String("checkAllowAutoCreation"), false) && m_broker->config().autoCreateTopics)
        return metadata(0);
    if (!call.topic)
        return errorReply(404, topicNotFound(call.name.toString()));
    return metadata(0);
}

AdminApi::Reply AdminApi::createPartitioned(const TopicCall &call)
{
    if (call.name.localName().contains(QLatin1String("-partition-")))
        return errorReply(412, QStringLiteral("Partitioned Topic Name should not contain '-partition-'"));
    const QByteArray text = call.request->body.trimmed();
    const auto partitions = text.isEmpty() ? Pulsar::Result<int>(0) : Pulsar::parseJavaInt(QString::fromLatin1(text));
    if (!partitions)
        return errorReply(400,
                          QStringLiteral("Cannot deserialize value of type `int` from ") + QString::fromUtf8(text));
    if (*partitions <= 0)
        return errorReply(406, QStringLiteral("Number of partitions should be more than 0"));
    if (call.partitions > 0 || call.topic)
        return errorReply(409, QStringLiteral("This topic already exists"));
    BrokerError error;
    if (!m_broker->createPartitionedTopic(call.name, *partitions, &error))
        return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
    // Pulsar creates the partitions with the partitioned topic, so they are listed and have stats at once.
    if (call.name.isPersistent())
        partitionTopics(call.name, *partitions);
    return noContent();
}

AdminApi::Reply AdminApi::deletePartitioned(const TopicCall &call)
{
    const QString full = call.name.toString();
    if (call.partitions == 0) {
        if (call.topic)
            return errorReply(409, full + QStringLiteral(" is a non-partitioned topic. Instead of calling "
                                                         "delete-partitioned-topic please call delete."));
        return errorReply(404, QStringLiteral("Topic ") + full + QStringLiteral(" not found."));
    }
    const bool force = call.request->flag(QLatin1String("force"), false);
    if (!force) {
        for (int i = 0; i < call.partitions; ++i) {
            const Topic *t = m_broker->existingTopic(call.name.partition(i).toString());
            if (t && isConnected(*t))
                return errorReply(412, kTopicBusy);
        }
    }
    BrokerError error;
    if (!m_broker->deletePartitionedTopic(call.name, true, &error))
        return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
    m_broker->setTopicProperties(full, {});
    return noContent();
}

AdminApi::Reply AdminApi::createTopic(const TopicCall &call)
{
    // PersistentTopicsBase.validateNonPartitionTopicNameAsync: "-partition-<n>" names belong to partitioned topics.
    const QString local = call.name.localName();
    const qsizetype marker = local.indexOf(QLatin1String("-partition-"));
    if (marker >= 0) {
        const auto suffix = Pulsar::parseJavaLong(local.mid(marker + 11));
        if (suffix) {
            const QString baseLocal = local.left(marker);
            const QString full = call.name.toString();
            const auto base = Pulsar::TopicName::parse(full.left(full.size() - local.size() + marker));
            const int basePartitions = base ? m_broker->partitionCount(base->toString()) : 0;
            if (basePartitions > 0 && *suffix >= basePartitions)
                return errorReply(412, QStringLiteral("Can't create topic ") + local +
                                           QStringLiteral(" with \"-partition-\" followed by a number smaller then "
                                                          "number of partition of partitioned topic ") +
                                           baseLocal);
            if (basePartitions == 0)
                return errorReply(412, QStringLiteral("Can't create topic ") + local +
                                           QStringLiteral(" with \"-partition-\" followed by numeric value if there "
                                                          "isn't a partitioned topic ") +
                                           baseLocal + QStringLiteral(" created."));
        }
    }
    if (call.partitions > 0 || call.topic)
        return errorReply(409, QStringLiteral("This topic already exists"));
    QMap<QString, QString> properties;
    if (!call.request->body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(call.request->body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return errorReply(400,
                              QStringLiteral("Cannot deserialize the topic properties: ") + parseError.errorString());
        const QJsonObject object = document.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            properties.insert(it.key(), it.value().toVariant().toString());
    }
    BrokerError error;
    if (!m_broker->createTopic(call.name, &error))
        return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
    m_broker->setTopicProperties(call.name.toString(), properties);
    return noContent();
}

AdminApi::Reply AdminApi::deleteTopic(const TopicCall &call)
{
    const QString full = call.name.toString();
    if (!call.topic)
        return errorReply(404, topicNotFound(full));
    if (!call.request->flag(QLatin1String("force"), false) && isConnected(*call.topic))
        return errorReply(412, kTopicBusy);
    BrokerError error;
    if (!m_broker->deleteTopic(call.name, true, &error))
        return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
    m_broker->setTopicProperties(full, {});
    return noContent();
}

namespace {

// The query of …/stats and …/partitioned-stats. The v1 resources take none of these parameters and ask for the stats
// without the subscriptions' backlog sizes (v1 PersistentTopics.getStats and getPartitionedStats pass
// subscriptionBacklogSize=false), so a v1 caller gets backlogSize -1 whatever its query says.
AdminStats::Options statsOptions(const AdminApi::Request &r)
{
    AdminStats::Options options;
    if (!r.path.v1) {
        options.subscriptionBacklogSize = r.flag(QLatin1String("subscriptionBacklogSize"), true);
        options.excludePublishers = r.flag(QLatin1String("excludePublishers"), false);
        options.excludeConsumers = r.flag(QLatin1String("excludeConsumers"), false);
    } else {
        options.subscriptionBacklogSize = false;
    }
    options.ownerBroker = r.host;
    return options;
}

} // namespace

AdminApi::Reply AdminApi::stats(const TopicCall &call, bool internal)
{
    if (!call.topic)
        return errorReply(404, topicNotFound(call.name.toString()));
    if (internal)
        return jsonReply(200, m_stats.internalStats(*call.topic));
    return jsonReply(200, m_stats.topicStats(*call.topic, statsOptions(*call.request)));
}

AdminApi::Reply AdminApi::partitionedStats(const TopicCall &call, bool internal)
{
    if (call.partitions == 0)
        return errorReply(404, partitionedTopicNotFound(call.name.toString()));
    QList<const Topic *> parts;
    for (Topic *t : partitionTopics(call.name, call.partitions))
        parts.append(t);
    if (internal)
        return jsonReply(200, m_stats.partitionedInternalStats(parts, call.partitions));
    const Request &r = *call.request;
    return jsonReply(200, m_stats.partitionedStats(parts, call.partitions, r.flag(QLatin1String("perPartition"), true),
                                                   statsOptions(r)));
}

AdminApi::Reply AdminApi::subscriptions(const TopicCall &call)
{
    QStringList names;
    if (call.partitions > 0) {
        for (const Topic *t : partitionTopics(call.name, call.partitions)) {
            if (!t)
                continue;
            for (const auto &entry : t->subscriptions()) {
                if (!names.contains(entry.first))
                    names.append(entry.first);
            }
        }
        names.sort();
        return stringList(names);
    }
    if (!call.topic)
        return errorReply(404, topicNotFound(call.name.toString()));
    for (const auto &entry : call.topic->subscriptions())
        names.append(entry.first);
    return stringList(names);
}

AdminApi::Reply AdminApi::terminate(const TopicCall &call)
{
    if (call.partitions > 0)
        return errorReply(405, QStringLiteral("Termination of a partitioned topic is not allowed"));
    if (!call.topic)
        return errorReply(404, topicNotFound(call.name.toString()));
    if (!call.topic->isPersistent())
        return errorReply(405, QStringLiteral("Termination of a non-persistent topic is not allowed"));
    // Terminating again answers the same last id, as ManagedLedger.asyncTerminate does for a terminated ledger.
    qint64 lastEntry = -1;
    BrokerError error;
    if (!m_broker->terminate(call.name, &lastEntry, &error))
        return errorReply(Pulsar::httpStatusFor(error.failure), error.detail);
    return messageIdReply(call.topic->ledgerId(), lastEntry, call.name.partitionIndex());
}

void AdminApi::replyWithEntry(Topic *topic, qint64 entryId, const QString &notFoundReason, const ReplyFn &reply)
{
    std::weak_ptr<bool> alive = m_alive;
    QPointer<Topic> guard(topic);
    m_broker->readEntries(topic->name(), entryId, 1,
                          [alive, guard, entryId, notFoundReason, reply](const QVector<StoredEntry> &entries) {
                              const auto a = alive.lock();
                              if (!a || !*a)
                                  return;
                              if (!guard || entries.isEmpty() || entries.first().entryId != entryId) {
                                  reply(errorReply(404, notFoundReason));
                                  return;
                              }
                              const auto message = BrokerMessage::decode(entries.first().data);
                              if (!message) {
                                  reply(errorReply(500, QStringLiteral("Failed to decode the stored entry")));
                                  return;
                              }
                              reply(entryReply(*guard, entryId, *message));
                          });
}

void AdminApi::examine(const TopicCall &call, const ReplyFn &reply)
{
    if (!requireSinglePersistentTopic(
            call,
            QStringLiteral("Examine messages on a partitioned topic is not allowed, please try "
                           "examine message on specific topic partition"),
            QStringLiteral("Examine messages on a non-persistent topic is not allowed"), reply))
        return;
    const auto requested = pathNumber(call.request->queryValue(QLatin1String("messagePosition"), QStringLiteral("1")));
    if (!requested) {
        reply(notFound());
        return;
    }
    const TopicStats stored = m_broker->store()->topicStats(call.topic->name());
    const qint64 last = call.topic->lastEntryId();
    const qint64 total = last >= stored.firstEntryId ? last - stored.firstEntryId + 1 : 0;
    if (total <= 0) {
        reply(errorReply(412, QStringLiteral("Could not examine messages due to the total message is zero")));
        return;
    }
    const qint64 position = std::max<qint64>(1, *requested);
    const bool earliest = call.request->queryValue(QLatin1String("initialPosition"), QStringLiteral("latest")) ==
                          QLatin1String("earliest");
    const qint64 entry =
        std::clamp(earliest ? stored.firstEntryId + position - 1 : last - position + 1, stored.firstEntryId, last);
    replyWithEntry(call.topic, entry, QStringLiteral("Message not found"), reply);
}

// Reading single messages works on one persistent topic only; Pulsar refuses partitioned and non-persistent topics
// with a text of each operation's own.
bool AdminApi::requireSinglePersistentTopic(const TopicCall &call, const QString &onPartitioned,
                                            const QString &onNonPersistent, const ReplyFn &reply)
{
    if (call.partitions > 0) {
        reply(errorReply(405, onPartitioned));
        return false;
    }
    if (!call.topic) {
        reply(errorReply(404, topicNotFound(call.name.toString())));
        return false;
    }
    if (!call.topic->isPersistent()) {
        reply(errorReply(405, onNonPersistent));
        return false;
    }
    return true;
}

void AdminApi::messageById(const TopicCall &call, const ReplyFn &reply)
{
    const auto ledgerId = pathNumber(call.rest[1]);
    const auto entryId = pathNumber(call.rest[3]);
    if (!ledgerId || !entryId) {
        reply(notFound());
        return;
    }
    if (!requireSinglePersistentTopic(call, QStringLiteral("GetMessageById is not allowed on partitioned-topic"),
                                      QStringLiteral("GetMessageById is not allowed on a non-persistent topic"), reply))
        return;
    const QString missing = QStringLiteral("Message id not found");
    if (*ledgerId != call.topic->ledgerId() || *entryId < 0 || *entryId > call.topic->lastEntryId()) {
        reply(errorReply(404, missing));
        return;
    }
    replyWithEntry(call.topic, *entryId, missing, reply);
}

AdminApi::Reply AdminApi::createSubscription(const TopicCall &call, const QString &subscription)
{
    // v1 PersistentTopics.createSubscription refuses the domain before looking at anything else.
    if (call.request->path.v1 && !call.name.isPersistent())
        return errorReply(400, QStringLiteral("Create subscription on non-persistent topic can only be done through "
                                              "client"));
    const auto position = messageIdBody(call.request->body);
    if (!position)
        return errorReply(400, QStringLiteral("Cannot deserialize the message id"));
    const auto createOn = [&](Topic *t) {
        t->createSubscription(subscription, true);
        m_broker->resetCursorToPosition(t, subscription, position->first, position->second);
    };
    if (call.partitions > 0) {
        // Created on every partition; refused only when it exists on all of them.
        int conflicts = 0;
        for (Topic *t : partitionTopics(call.name, call.partitions)) {
            if (!t || t->subscription(subscription))
                ++conflicts;
            else
                createOn(t);
        }
        if (conflicts == call.partitions)
            return errorReply(409, QStringLiteral("Subscription already exists for topic"));
        return noContent();
    }
    Topic *topic = call.topic;
    if (!topic && m_broker->config().autoCreateTopics) {
        BrokerError ignored;
        topic = m_broker->topic(call.name, true, &ignored);
    }
    if (!topic)
        return errorReply(412, QStringLiteral("Topic does not exist and cannot be auto-created"));
    if (!topic->isPersistent())
        return errorReply(405, QStringLiteral("Durable subscriptions cannot be created on a non-persistent topic"));
    if (topic->subscription(subscription))
        return errorReply(409, QStringLiteral("Subscription already exists for topic"));
    createOn(topic);
    return noContent();
}

AdminApi::Reply AdminApi::deleteSubscription(const TopicCall &call, const QString &subscription)
{
    const bool force = call.request->flag(QLatin1String("force"), false);
    QList<Topic *> targets;
    if (call.partitions > 0) {
        targets = partitionTopics(call.name, call.partitions);
        for (Topic *t : std::as_const(targets)) {
            if (!t || !t->subscription(subscription))
                return errorReply(404, QStringLiteral("Subscription not found"));
            if (!force && !t->subscription(subscription)->consumers().empty())
                return errorReply(412, kSubscriptionBusy);
        }
    } else {
        if (!call.topic)
            return errorReply(404, topicNotFound(call.name.toString()));
        Subscription *s = call.topic->subscription(subscription);
        if (!s)
            return errorReply(404, subscriptionNotFound(call.name.toString(), subscription));
        if (!force && !s->consumers().empty())
            return errorReply(412, kSubscriptionBusy);
        targets.append(call.topic);
    }
    // Removing the subscription closes its consumers, which is what force asks for.
    for (Topic *t : std::as_const(targets))
        t->removeSubscription(t->subscription(subscription));
    return noContent();
}

void AdminApi::peek(const TopicCall &call, const QString &subscription, const QString &position, const ReplyFn &reply)
{
    const auto n = pathNumber(position);
    if (!n || *n > std::numeric_limits<int>::max()) {
        reply(notFound());
        return;
    }
    if (!requireSinglePersistentTopic(call, QStringLiteral("Peek messages on a partitioned topic is not allowed"),
                                      QStringLiteral("Peek messages on a non-persistent topic is not allowed"), reply))
        return;
    // PersistentTopicsBase.getSubscriptionReference creates a missing subscription at the earliest position.
    if (!call.topic->subscription(subscription))
        call.topic->createSubscription(subscription, true);
    const qint64 entry = m_broker->nthUnackedEntry(call.topic, subscription, *n);
    if (entry < 0) {
        reply(errorReply(404, QStringLiteral("Message not found")));
        return;
    }
    replyWithEntry(call.topic, entry, QStringLiteral("Message not found"), reply);
}

void AdminApi::expire(const TopicCall &call, const QString &subscription, const QString &seconds, const ReplyFn &reply)
{
    const auto ttl = pathNumber(seconds);
    if (!ttl || *ttl > std::numeric_limits<int>::max() || *ttl < std::numeric_limits<int>::min()) {
        reply(notFound());
        return;
    }
    const auto notIssued = [subscription](const QString &topic) {
        return errorReply(409, QStringLiteral("Expire message by timestamp not issued on topic ") + topic +
                                   QStringLiteral(" for subscription ") + subscription +
                                   QStringLiteral(" due to ongoing message expiration not finished or subscription "
                                                  "almost catch  up. If it's performed on a partitioned topic "
                                                  "operation might succeeded on other partitions, please check "
                                                  "stats of individual partition."));
    };
    QList<Topic *> targets;
    if (call.partitions > 0) {
        targets = partitionTopics(call.name, call.partitions);
        for (Topic *t : std::as_const(targets)) {
            if (!t || !t->subscription(subscription)) {
                reply(errorReply(404, subscriptionNotFound(call.name.toString(), subscription)));
                return;
            }
        }
    } else {
        if (!call.topic) {
            reply(errorReply(404, topicNotFound(call.name.toString())));
            return;
        }
        if (!call.topic->isPersistent()) {
            reply(errorReply(405, QStringLiteral("Expire messages on a non-persistent topic is not allowed")));
            return;
        }
        if (!call.topic->subscription(subscription)) {
            reply(errorReply(404, subscriptionNotFound(call.name.toString(), subscription)));
            return;
        }
        targets.append(call.topic);
    }
    auto fan = std::make_shared<FanOut>();
    fan->pending = int(targets.size());
    std::weak_ptr<bool> alive = m_alive;
    fan->done = [alive, reply](const Reply &result) {
        if (const auto a = alive.lock(); a && *a)
            reply(result);
    };
    for (Topic *t : std::as_const(targets)) {
        const QString name = t->name();
        m_broker->expireMessages(t, subscription, *ttl, [fan, name, notIssued](bool issued) {
            fan->finish(issued ? std::nullopt : std::optional<Reply>(notIssued(name)));
        });
    }
}

void AdminApi::resetToTime(const TopicCall &call, const QString &subscription, const QString &timestamp,
                           const ReplyFn &reply)
{
    const auto time = pathNumber(timestamp);
    if (!time) {
        reply(notFound());
        return;
    }
    QList<Topic *> targets;
    if (call.partitions > 0) {
        targets = partitionTopics(call.name, call.partitions);
        for (Topic *t : std::as_const(targets)) {
            if (!t || !t->subscription(subscription)) {
                const QString partition = t ? t->name() : call.name.toString();
                reply(errorReply(404, subscriptionNotFound(partition, subscription)));
                return;
            }
        }
    } else {
        if (!call.topic) {
            reply(errorReply(404, topicNotFound(call.name.toString())));
            return;
        }
        if (!call.topic->subscription(subscription)) {
            reply(errorReply(404, subscriptionNotFound(call.name.toString(), subscription)));
            return;
        }
        targets.append(call.topic);
    }
    auto fan = std::make_shared<FanOut>();
    fan->pending = int(targets.size());
    std::weak_ptr<bool> alive = m_alive;
    fan->done = [alive, reply](const Reply &result) {
        if (const auto a = alive.lock(); a && *a)
            reply(result);
    };
    for (Topic *t : std::as_const(targets))
        m_broker->resetCursorToTime(t, subscription, *time, [fan] { fan->finish(std::nullopt); });
}

} // namespace Proxy
