#include "adminclient.h"

#include "protocol/jsonwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslKey>

#include <algorithm>

namespace Pulsar {

namespace {

QString enc(const QString &component)
{
    return TopicName::encodeComponent(component);
}

// The one place that picks the API version of a call. Pulsar serves names with a cluster (v1,
// "property/cluster/namespace") under /admin/ and the rest under /admin/v2/, as its own admin client does
// (NamespacesImpl.namespacePath, TopicsImpl.topicPath); a v1 name sent to /admin/v2/ would be read as another name.
// Clusters, brokers and tenants (a tenant's namespace list included) have no cluster in their names and always go to
// v2; Pulsar's v1 forms of those ("properties" for tenants) are older spellings of the same resources.
QString resource(bool v2, const QString &path)
{
    return v2 ? QStringLiteral("v2/") + path : path;
}

QString v2Resource(const QString &path)
{
    return resource(true, path);
}

// "tenant/namespace" or, for a v1 namespace, "property/cluster/namespace", each part percent-encoded.
QString namespacePath(const NamespaceName &ns)
{
    QString path = enc(ns.tenant()) + QLatin1Char('/');
    if (!ns.isV2())
        path += enc(ns.cluster()) + QLatin1Char('/');
    return path + enc(ns.localName());
}

// <area>/<namespace><suffix>, e.g. "namespaces/public/default" or "persistent/sample/standalone/ns1/partitioned".
QString namespaceResource(const QString &area, const NamespaceName &ns, const QString &suffix = QString())
{
    return resource(ns.isV2(), area + QLatin1Char('/') + namespacePath(ns) + suffix);
}

// restPath() already carries the cluster of a v1 name.
QString topicPath(const TopicName &topic, const QString &suffix = QString())
{
    return resource(topic.isV2(), topic.restPath() + suffix);
}

QString subscriptionPath(const TopicName &topic, const QString &subscription, const QString &suffix = QString())
{
    // Encoded twice: Pulsar's handlers decode a subscription name twice (Jersey, then Codec.decode), so a name sent
    // once-encoded loses every '+' to a space and fails on a literal '%' (Pulsar's own admin client has that bug).
    return topicPath(topic, QStringLiteral("/subscription/") + enc(enc(subscription)) + suffix);
}

QString flag(bool on)
{
    return on ? QStringLiteral("true") : QStringLiteral("false");
}

QUrlQuery forceQuery(bool force)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("force"), flag(force));
    return query;
}

QUrlQuery statsQuery(const TopicStatsOptions &o)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("getPreciseBacklog"), flag(o.getPreciseBacklog));
    query.addQueryItem(QStringLiteral("subscriptionBacklogSize"), flag(o.subscriptionBacklogSize));
    query.addQueryItem(QStringLiteral("getEarliestTimeInBacklog"), flag(o.getEarliestTimeInBacklog));
    query.addQueryItem(QStringLiteral("excludePublishers"), flag(o.excludePublishers));
    query.addQueryItem(QStringLiteral("excludeConsumers"), flag(o.excludeConsumers));
    return query;
}

QUrlQuery systemTopicsQuery(bool include)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("includeSystemTopic"), flag(include));
    return query;
}

// Pulsar's MessageIdImpl / ResetCursorData body: {"ledgerId", "entryId", "partitionIndex", "excluded",
// "batchIndex", "properties"}. The Java field is isExcluded, but Jackson names the property after its accessors
// (isExcluded()/setExcluded()), so "excluded" is what Pulsar reads; "isExcluded" is silently ignored.
QByteArray positionBody(const MessageId &id, bool excluded)
{
    JsonWriter w;
    w.beginObject();
    w.field("ledgerId", id.ledgerId);
    w.field("entryId", id.entryId);
    w.field("partitionIndex", id.partition);
    w.field("excluded", excluded);
    w.field("batchIndex", id.batchIndex);
    w.beginObject("properties");
    w.endObject();
    w.endObject();
    return w.take();
}

template<typename T>
typename AdminReply<T>::Decoder objectDecoder()
{
    return [](const QByteArray &body, const AdminCall::RawHeaders &, AdminError *error) -> std::optional<T> {
        const auto object = parseJsonObject(body, error);
        if (!object)
            return std::nullopt;
        return T::fromJson(*object);
    };
}

// MessageIdImpl / BatchMessageIdImpl as JSON: {"ledgerId", "entryId", "partitionIndex"[, "batchIndex", ...]}.
std::optional<MessageId> decodeMessageId(const QByteArray &body, const AdminCall::RawHeaders &, AdminError *error)
{
    const auto object = parseJsonObject(body, error);
    if (!object)
        return std::nullopt;
    const QJsonValue ledger = object->value(QLatin1String("ledgerId"));
    const QJsonValue entry = object->value(QLatin1String("entryId"));
    if (!ledger.isDouble() || !entry.isDouble()) {
        *error = AdminError{AdminError::MalformedResponse, 0,
                            QStringLiteral("Expected a message id with numeric ledgerId and entryId")};
        return std::nullopt;
    }
    MessageId id;
    id.ledgerId = ledger.toInteger();
    id.entryId = entry.toInteger();
    id.partition = int(object->value(QLatin1String("partitionIndex")).toInteger(-1));
    id.batchIndex = int(object->value(QLatin1String("batchIndex")).toInteger(-1));
    id.batchSize = int(object->value(QLatin1String("batchSize")).toInteger(0));
    return id;
}

// /brokers/health and /brokers/version answer text/plain; a JSON string is unwrapped in case a gateway re-encodes.
std::optional<QString> decodeText(const QByteArray &body, const AdminCall::RawHeaders &, AdminError *)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.size() >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
        const QJsonDocument document = QJsonDocument::fromJson("[" + trimmed + "]");
        if (document.isArray() && document.array().at(0).isString())
            return document.array().at(0).toString();
    }
    return QString::fromUtf8(trimmed);
}

// A private key in PEM, RSA or EC (PKCS#1, SEC1 or PKCS#8 without a passphrase).
QSslKey readKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return QSslKey();
}

std::optional<QByteArray> readFile(const QString &path, AdminError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = AdminError{AdminError::Configuration, 0, path + QStringLiteral(": ") + file.errorString()};
        return std::nullopt;
    }
    return file.readAll();
}

// The client side of Pulsar's TLS settings: trusted CAs (tlsTrustCertsFilePath), the client certificate and key
// (AuthenticationTls), and tlsAllowInsecureConnection.
std::optional<QSslConfiguration> tlsConfiguration(const AdminConnection &c, AdminError *error)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (!c.caFile.isEmpty()) {
        const auto pem = readFile(c.caFile, error);
        if (!pem)
            return std::nullopt;
        const QList<QSslCertificate> cas = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (cas.isEmpty()) {
            *error = AdminError{AdminError::Configuration, 0,
                                c.caFile + QStringLiteral(": no PEM certificate in the CA file")};
            return std::nullopt;
        }
        // Added to the system's CAs, as the WebSocket side (ConnectionProfile::applyTls) does, so that one profile
        // means the same trust on both sides.
        tls.addCaCertificates(cas);
    }
    if (!c.clientCertFile.isEmpty() || !c.clientKeyFile.isEmpty()) {
        if (c.clientCertFile.isEmpty() || c.clientKeyFile.isEmpty()) {
            *error = AdminError{AdminError::Configuration, 0,
                                QStringLiteral("A client certificate needs both the certificate and the key file")};
            return std::nullopt;
        }
        const auto certPem = readFile(c.clientCertFile, error);
        if (!certPem)
            return std::nullopt;
        const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
        if (chain.isEmpty()) {
            *error = AdminError{AdminError::Configuration, 0,
                                c.clientCertFile + QStringLiteral(": no PEM certificate in the file")};
            return std::nullopt;
        }
        const auto keyPem = readFile(c.clientKeyFile, error);
        if (!keyPem)
            return std::nullopt;
        const QSslKey key = readKey(*keyPem);
        if (key.isNull()) {
            *error = AdminError{AdminError::Configuration, 0,
                                c.clientKeyFile + QStringLiteral(": not an unencrypted PEM RSA or EC private key")};
            return std::nullopt;
        }
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
    }
    if (c.allowInsecureTls)
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

} // namespace

AdminClient::AdminClient(const AdminConnection &connection, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    setConnection(connection);
}

AdminClient::~AdminClient()
{
    // Before the network manager (an older child) goes, so that no call reports from inside the destructor.
    const QList<AdminCall *> calls = findChildren<AdminCall *>(QString(), Qt::FindDirectChildrenOnly);
    for (AdminCall *c : calls)
        c->abandon();
}

void AdminClient::setConnection(const AdminConnection &connection)
{
    m_connection = connection;
    m_configError = AdminError();
    const QUrl &url = connection.adminUrl;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        m_configError = AdminError{AdminError::Configuration, 0,
                                   QStringLiteral("The admin URL must be http:// or https:// with a host: ") +
                                       url.toDisplayString()};
        return;
    }
    AdminError error;
    const auto tls = tlsConfiguration(connection, &error);
    if (!tls) {
        m_configError = error;
        return;
    }
    m_tls = *tls;
}

void AdminClient::dispatch(AdminCall *call, const QByteArray &verb, const QString &path, const QUrlQuery &query,
                           const QByteArray &body)
{
    call->m_verb = verb;
    QUrl url = m_connection.adminUrl;
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    // The path is already percent-encoded (Codec.encode); TolerantMode keeps the escapes as they are.
    url.setPath(base + QStringLiteral("/admin/") + path, QUrl::TolerantMode);
    url.setQuery(query.isEmpty() ? QString() : query.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    call->m_url = url;
    if (m_configError.isError()) {
        call->failLater(m_configError);
        return;
    }

    QUrl target = url;
    QNetworkRequest request;
    if (m_connection.tokenMode == AdminConnection::TokenMode::QueryParameter && !m_connection.token.isEmpty()) {
        QUrlQuery withToken(query);
        withToken.addQueryItem(QStringLiteral("token"), QString::fromLatin1(m_connection.token));
        target.setQuery(withToken.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    } else if (m_connection.tokenMode == AdminConnection::TokenMode::BearerHeader && !m_connection.token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_connection.token);
    }
    request.setUrl(target);
    request.setRawHeader("Accept", "application/json");
    if (verb == "PUT" || verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    // Pulsar redirects a topic's calls to the broker that owns it: another origin, so SameOrigin would refuse.
    // NoLessSafe follows it and, checked on Qt 6.4 by tst_adminclient, keeps method, body and headers for 307/308.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(std::max(0, m_connection.maxRedirects));
    request.setTransferTimeout(std::max(1, m_connection.timeoutMs));
    // HTTP/1.1 like Pulsar's own admin client; keeps header names as the server wrote them.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0)
        request.setSslConfiguration(m_tls);

    QNetworkReply *reply = nullptr;
    if (verb == "GET")
        reply = m_network->get(request);
    else if (verb == "DELETE")
        reply = m_network->deleteResource(request);
    else if (verb == "PUT")
        reply = m_network->put(request, body);
    else
        reply = m_network->post(request, body);
    call->start(reply);
}

template<typename T>
AdminReply<T> *AdminClient::call(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                                 const QByteArray &body, typename AdminReply<T>::Decoder decoder)
{
    auto *reply = new AdminReply<T>(std::move(decoder), this);
    dispatch(reply, verb, path, query, body);
    return reply;
}

AdminCall *AdminClient::operation(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                                  const QByteArray &body)
{
    auto *c = new AdminCall(this);
    dispatch(c, verb, path, query, body);
    return c;
}

AdminReply<QStringList> *AdminClient::stringList(const QString &path, const QUrlQuery &query)
{
    return call<QStringList>("GET", path, query, QByteArray(),
                             [](const QByteArray &body, const AdminCall::RawHeaders &, AdminError *error) {
                                 return parseStringList(body, error);
                             });
}

AdminReply<PeekedMessage> *AdminClient::peek(const TopicName &topic, const QString &path, const QUrlQuery &query)
{
    const int partition = topic.partitionIndex();
    return call<PeekedMessage>(
        "GET", path, query, QByteArray(),
        [partition](const QByteArray &body, const AdminCall::RawHeaders &headers, AdminError *error) {
            return PeekedMessage::fromHttp(headers, body, partition, error);
        });
}

AdminReply<QStringList> *AdminClient::clusters()
{
    return stringList(v2Resource(QStringLiteral("clusters")));
}

AdminReply<QString> *AdminClient::brokerHealth()
{
    return call<QString>("GET", v2Resource(QStringLiteral("brokers/health")), QUrlQuery(), QByteArray(), decodeText);
}

AdminReply<QString> *AdminClient::brokerVersion()
{
    return call<QString>("GET", v2Resource(QStringLiteral("brokers/version")), QUrlQuery(), QByteArray(), decodeText);
}

AdminReply<QStringList> *AdminClient::tenants()
{
    return stringList(v2Resource(QStringLiteral("tenants")));
}

AdminReply<TenantInfo> *AdminClient::tenantInfo(const QString &tenant)
{
    return call<TenantInfo>("GET", v2Resource(QStringLiteral("tenants/") + enc(tenant)), QUrlQuery(), QByteArray(),
                            objectDecoder<TenantInfo>());
}

AdminCall *AdminClient::createTenant(const QString &tenant, const TenantInfo &info)
{
    return operation("PUT", v2Resource(QStringLiteral("tenants/") + enc(tenant)), QUrlQuery(), info.toJson());
}

AdminCall *AdminClient::deleteTenant(const QString &tenant, bool force)
{
    return operation("DELETE", v2Resource(QStringLiteral("tenants/") + enc(tenant)), forceQuery(force));
}

AdminReply<QStringList> *AdminClient::namespaces(const QString &tenant)
{
    return stringList(v2Resource(QStringLiteral("namespaces/") + enc(tenant)));
}

AdminCall *AdminClient::createNamespace(const NamespaceName &ns)
{
    return operation("PUT", namespaceResource(QStringLiteral("namespaces"), ns));
}

AdminCall *AdminClient::deleteNamespace(const NamespaceName &ns, bool force)
{
    return operation("DELETE", namespaceResource(QStringLiteral("namespaces"), ns), forceQuery(force));
}

AdminReply<NamespacePolicies> *AdminClient::namespacePolicies(const NamespaceName &ns)
{
    return call<NamespacePolicies>("GET", namespaceResource(QStringLiteral("namespaces"), ns), QUrlQuery(),
                                   QByteArray(), objectDecoder<NamespacePolicies>());
}

AdminReply<QStringList> *AdminClient::namespaceTopics(const NamespaceName &ns, TopicListMode mode,
                                                      bool includeSystemTopics)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("mode"), mode == TopicListMode::Persistent      ? QStringLiteral("PERSISTENT")
                                               : mode == TopicListMode::NonPersistent ? QStringLiteral("NON_PERSISTENT")
                                                                                      : QStringLiteral("ALL"));
    query.addQueryItem(QStringLiteral("includeSystemTopic"), flag(includeSystemTopics));
    // The v1 resource of the same list is called "destinations" (NamespacesImpl.getTopics does the same).
    return stringList(namespaceResource(QStringLiteral("namespaces"), ns,
                                        ns.isV2() ? QStringLiteral("/topics") : QStringLiteral("/destinations")),
                      query);
}

AdminReply<QStringList> *AdminClient::persistentTopics(const NamespaceName &ns, bool includeSystemTopics)
{
    return stringList(namespaceResource(QStringLiteral("persistent"), ns), systemTopicsQuery(includeSystemTopics));
}

AdminReply<QStringList> *AdminClient::nonPersistentTopics(const NamespaceName &ns, bool includeSystemTopics)
{
    return stringList(namespaceResource(QStringLiteral("non-persistent"), ns), systemTopicsQuery(includeSystemTopics));
}

AdminReply<QStringList> *AdminClient::partitionedTopics(const NamespaceName &ns, TopicDomain domain,
                                                        bool includeSystemTopics)
{
    return stringList(namespaceResource(topicDomainName(domain), ns, QStringLiteral("/partitioned")),
                      systemTopicsQuery(includeSystemTopics));
}

AdminReply<PartitionedTopicMetadata> *AdminClient::partitionedMetadata(const TopicName &topic)
{
    return call<PartitionedTopicMetadata>("GET", topicPath(topic, QStringLiteral("/partitions")), QUrlQuery(),
                                          QByteArray(), objectDecoder<PartitionedTopicMetadata>());
}

AdminCall *AdminClient::createPartitionedTopic(const TopicName &topic, int partitions)
{
    return operation("PUT", topicPath(topic, QStringLiteral("/partitions")), QUrlQuery(),
                     QByteArray::number(partitions));
}

AdminCall *AdminClient::createNonPartitionedTopic(const TopicName &topic, const QMap<QString, QString> &properties)
{
    JsonWriter w;
    w.beginObject();
    for (auto it = properties.cbegin(); it != properties.cend(); ++it) {
        w.key(it.key());
        w.value(it.value());
    }
    w.endObject();
    return operation("PUT", topicPath(topic), QUrlQuery(), w.take());
}

AdminCall *AdminClient::deleteTopic(const TopicName &topic, bool force)
{
    return operation("DELETE", topicPath(topic), forceQuery(force));
}

AdminCall *AdminClient::deletePartitionedTopic(const TopicName &topic, bool force)
{
    return operation("DELETE", topicPath(topic, QStringLiteral("/partitions")), forceQuery(force));
}

AdminReply<TopicStats> *AdminClient::topicStats(const TopicName &topic, const TopicStatsOptions &options)
{
    return call<TopicStats>("GET", topicPath(topic, QStringLiteral("/stats")), statsQuery(options), QByteArray(),
                            objectDecoder<TopicStats>());
}

AdminReply<PartitionedTopicStats> *AdminClient::partitionedStats(const TopicName &topic, bool perPartition,
                                                                 const TopicStatsOptions &options)
{
    QUrlQuery query = statsQuery(options);
    query.addQueryItem(QStringLiteral("perPartition"), flag(perPartition));
    return call<PartitionedTopicStats>("GET", topicPath(topic, QStringLiteral("/partitioned-stats")), query,
                                       QByteArray(), objectDecoder<PartitionedTopicStats>());
}

AdminReply<InternalStats> *AdminClient::internalStats(const TopicName &topic)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("metadata"), flag(false));
    return call<InternalStats>("GET", topicPath(topic, QStringLiteral("/internalStats")), query, QByteArray(),
                               objectDecoder<InternalStats>());
}

AdminReply<PartitionedInternalStats> *AdminClient::partitionedInternalStats(const TopicName &topic)
{
    return call<PartitionedInternalStats>("GET", topicPath(topic, QStringLiteral("/partitioned-internalStats")),
                                          QUrlQuery(), QByteArray(), objectDecoder<PartitionedInternalStats>());
}

AdminReply<MessageId> *AdminClient::lastMessageId(const TopicName &topic)
{
    return call<MessageId>("GET", topicPath(topic, QStringLiteral("/lastMessageId")), QUrlQuery(), QByteArray(),
                           decodeMessageId);
}

AdminReply<MessageId> *AdminClient::terminateTopic(const TopicName &topic)
{
    return call<MessageId>("POST", topicPath(topic, QStringLiteral("/terminate")), QUrlQuery(), QByteArray(),
                           decodeMessageId);
}

AdminCall *AdminClient::unloadTopic(const TopicName &topic)
{
    return operation("PUT", topicPath(topic, QStringLiteral("/unload")));
}

AdminReply<QMap<QString, QString>> *AdminClient::topicProperties(const TopicName &topic)
{
    return call<QMap<QString, QString>>("GET", topicPath(topic, QStringLiteral("/properties")), QUrlQuery(),
                                        QByteArray(),
                                        [](const QByteArray &body, const AdminCall::RawHeaders &, AdminError *error) {
                                            return parseStringMap(body, error);
                                        });
}

AdminReply<SchemaInfo> *AdminClient::schema(const TopicName &topic)
{
    const QString path = namespaceResource(QStringLiteral("schemas"), topic.namespaceName(),
                                           QLatin1Char('/') + topic.encodedLocalName() + QStringLiteral("/schema"));
    return call<SchemaInfo>("GET", path, QUrlQuery(), QByteArray(), objectDecoder<SchemaInfo>());
}

AdminReply<QStringList> *AdminClient::subscriptions(const TopicName &topic)
{
    return stringList(topicPath(topic, QStringLiteral("/subscriptions")));
}

AdminCall *AdminClient::createSubscription(const TopicName &topic, const QString &subscription,
                                           const MessageId &position, bool replicated)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("replicated"), flag(replicated));
    return operation("PUT", subscriptionPath(topic, subscription), query, positionBody(position, false));
}

AdminCall *AdminClient::deleteSubscription(const TopicName &topic, const QString &subscription, bool force)
{
    return operation("DELETE", subscriptionPath(topic, subscription), forceQuery(force));
}

AdminCall *AdminClient::skipMessages(const TopicName &topic, const QString &subscription, qint64 count)
{
    return operation("POST", subscriptionPath(topic, subscription, QStringLiteral("/skip/") + QString::number(count)));
}

AdminCall *AdminClient::skipAllMessages(const TopicName &topic, const QString &subscription)
{
    return operation("POST", subscriptionPath(topic, subscription, QStringLiteral("/skip_all")));
}

AdminCall *AdminClient::expireMessages(const TopicName &topic, const QString &subscription, qint64 seconds)
{
    return operation(
        "POST", subscriptionPath(topic, subscription, QStringLiteral("/expireMessages/") + QString::number(seconds)));
}

AdminCall *AdminClient::resetCursor(const TopicName &topic, const QString &subscription, qint64 timestampMs)
{
    return operation(
        "POST", subscriptionPath(topic, subscription, QStringLiteral("/resetcursor/") + QString::number(timestampMs)));
}

AdminCall *AdminClient::resetCursor(const TopicName &topic, const QString &subscription, const MessageId &position,
                                    bool excluded)
{
    return operation("POST", subscriptionPath(topic, subscription, QStringLiteral("/resetcursor")), QUrlQuery(),
                     positionBody(position, excluded));
}

AdminReply<PeekedMessage> *AdminClient::peekMessage(const TopicName &topic, const QString &subscription, qint64 n)
{
    return peek(topic, subscriptionPath(topic, subscription, QStringLiteral("/position/") + QString::number(n)),
                QUrlQuery());
}

AdminReply<PeekedMessage> *AdminClient::examineMessage(const TopicName &topic, InitialPosition from, qint64 n)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("initialPosition"),
                       from == InitialPosition::Earliest ? QStringLiteral("earliest") : QStringLiteral("latest"));
    query.addQueryItem(QStringLiteral("messagePosition"), QString::number(n));
    return peek(topic, topicPath(topic, QStringLiteral("/examinemessage")), query);
}

AdminReply<PeekedMessage> *AdminClient::messageById(const TopicName &topic, qint64 ledgerId, qint64 entryId)
{
    return peek(topic,
                topicPath(topic, QStringLiteral("/ledger/") + QString::number(ledgerId) + QStringLiteral("/entry/") +
                                     QString::number(entryId)),
                QUrlQuery());
}

} // namespace Pulsar
