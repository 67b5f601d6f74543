#include "endpoint.h"

#include <QCoreApplication>

namespace Pulsar {

namespace {

struct ServletContext
{
    const char *path;
    EndpointKind kind;
    ApiVersion version;
};

// Pulsar registers one servlet context per endpoint (WebSocket*Servlet.SERVLET_PATH, _V2, _V3).
constexpr ServletContext kContexts[] = {
    {"/ws/producer", EndpointKind::Producer, ApiVersion::V1},
    {"/ws/consumer", EndpointKind::Consumer, ApiVersion::V1},
    {"/ws/reader", EndpointKind::Reader, ApiVersion::V1},
    {"/ws/v2/producer", EndpointKind::Producer, ApiVersion::V2},
    {"/ws/v2/consumer", EndpointKind::Consumer, ApiVersion::V2},
    {"/ws/v2/reader", EndpointKind::Reader, ApiVersion::V2},
    {"/ws/v3/consumer", EndpointKind::MultiTopicConsumer, ApiVersion::V3},
};

QByteArray pathOnly(const QByteArray &rawPath)
{
    const qsizetype query = rawPath.indexOf('?');
    return query < 0 ? rawPath : rawPath.left(query);
}

const ServletContext *contextFor(const QByteArray &path)
{
    for (const ServletContext &context : kContexts) {
        const QByteArray prefix(context.path);
        if (path.startsWith(prefix) && (path.size() == prefix.size() || path.at(prefix.size()) == '/'))
            return &context;
    }
    return nullptr;
}

// Parse failures inside a handler's constructor escape to Jetty, whose error page names the exception by its
// toString(); Preconditions.checkArgument without a message gives the bare class name.
Error thrownFromHandler(const QString &message)
{
    const QString exception = QStringLiteral("java.lang.IllegalArgumentException");
    return makeError(ErrorCode::InvalidPath,
                     message.isEmpty() ? exception : exception + QStringLiteral(": ") + message);
}

// Failures inside the consumer's try block become "400 Invalid query params: <message>".
Error caughtByConsumer(ErrorCode code, const QString &message)
{
    return makeError(code, message);
}

// Java's Character.isWhitespace, which StringUtils.isBlank uses: no-break spaces do not count.
bool javaIsWhitespace(QChar c)
{
    const char16_t u = c.unicode();
    if ((u >= 0x09 && u <= 0x0D) || (u >= 0x1C && u <= 0x1F))
        return true;
    if (u == 0xA0 || u == 0x2007 || u == 0x202F)
        return false;
    const QChar::Category category = c.category();
    return category == QChar::Separator_Space || category == QChar::Separator_Line ||
           category == QChar::Separator_Paragraph;
}

bool javaIsBlank(QStringView text)
{
    for (const QChar c : text) {
        if (!javaIsWhitespace(c))
            return false;
    }
    return true;
}

// String.trim: strips every character up to and including U+0020 from both ends.
QString javaTrim(const QString &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && text[begin].unicode() <= 0x20)
        ++begin;
    while (end > begin && text[end - 1].unicode() <= 0x20)
        --end;
    return text.mid(begin, end - begin);
}

// QUrl rewrites %7E as '~' (RFC 3986 unreserved), so the URL carries '~' literally to stay byte-exact.
// Only a '~' can produce "%7E": a '%' in the input is itself escaped as %25.
QString forUrl(QString encoded)
{
    return encoded.replace(QStringLiteral("%7E"), QStringLiteral("~"));
}

QString forQuery(const QString &text)
{
    // Codec.encode writes a space as '+', which a query decoder that is not form-aware keeps as '+'.
    return forUrl(TopicName::encodeComponent(text)).replace(QLatin1Char('+'), QStringLiteral("%20"));
}

Error serviceUrlError(const char *text, const QUrl &url)
{
    return makeError(ErrorCode::InvalidServiceUrl,
                     QCoreApplication::translate("Pulsar::Endpoint", text).arg(url.toDisplayString()));
}

Result<Endpoint> parseTopicPath(const ServletContext &context, const QStringList &parts)
{
    // AbstractWebSocketHandler.extractTopicName (era R).
    if (parts.size() < 8)
        return thrownFromHandler(QStringLiteral("Invalid topic name format"));
    if (parts[1] != u"ws")
        return thrownFromHandler(QString());
    const bool isV2Format = parts[2] == u"v2";
    const int domainIndex = isV2Format ? 4 : 3;
    const QString &domain = parts[domainIndex];
    if (domain != u"persistent" && domain != u"non-persistent")
        return thrownFromHandler(QString());
    // The namespace parts are checked as they are, still encoded: "%41" is not a valid tenant.
    const Result<NamespaceName> ns = isV2Format ? NamespaceName::fromParts(parts[5], parts[6])
                                                : NamespaceName::fromParts(parts[4], parts[5], parts[6]);
    if (!ns.ok())
        return thrownFromHandler(ns.error().message);

    // A topic with raw slashes arrives split; Pulsar joins the rest back, skipping empty segments (but not an
    // empty first one), and leaves the consumer's last segment for the subscription.
    const bool isConsumer = parts[2] == u"consumer" || parts[3] == u"consumer";
    const qsizetype end = isConsumer ? parts.size() - 1 : parts.size();
    QString rawName = parts[7];
    for (qsizetype i = 8; i < end; ++i) {
        if (parts[i].isEmpty())
            continue;
        rawName += u'/' + parts[i];
    }
    const Result<QString> name = TopicName::decodeComponent(rawName);
    if (!name.ok())
        return thrownFromHandler(name.error().message);
    const Result<TopicName> topic = TopicName::parse(domain + QStringLiteral("://") + ns->toString() + u'/' + *name);
    if (!topic.ok())
        return thrownFromHandler(topic.error().message);

    Endpoint endpoint;
    endpoint.kind = context.kind;
    endpoint.version = context.version;
    endpoint.topic = *topic;
    if (context.kind != EndpointKind::Consumer)
        return endpoint;

    // ConsumerHandler.extractSubscription runs inside the handler's try block: its failures are 400s.
    if (parts.size() != 9)
        return caughtByConsumer(ErrorCode::InvalidQueryParams, QStringLiteral("Invalid topic name format"));
    if (parts[8].isEmpty())
        return caughtByConsumer(ErrorCode::EmptySubscription, QStringLiteral("Empty subscription name"));
    const Result<QString> subscription = TopicName::decodeComponent(parts[8]);
    if (!subscription.ok())
        return caughtByConsumer(ErrorCode::InvalidQueryParams, subscription.error().message);
    endpoint.subscription = *subscription;
    return endpoint;
}

Result<Endpoint> parseMultiTopicPath(const QStringList &parts, const QList<QPair<QString, QString>> &query)
{
    // MultiTopicConsumerHandler.extractTopicName: runs in the constructor, so failures are 500s.
    if (parts.size() < 4)
        return thrownFromHandler(QStringLiteral("Invalid topic name format"));
    if (parts[2] != u"v3")
        return thrownFromHandler(QString());
    bool hasPattern = false;
    bool hasTopics = false;
    const QString pattern = firstQueryValue(query, u"topicsPattern", &hasPattern);
    const QString topicsValue = firstQueryValue(query, u"topics", &hasTopics);
    if (!hasPattern && !hasTopics)
        return thrownFromHandler(QStringLiteral("Should set topics or topicsPattern"));
    if (hasPattern && hasTopics)
        return thrownFromHandler(QStringLiteral("Topics must be null when use topicsPattern"));
    const QStringList entries = hasTopics ? topicsValue.split(u',') : QStringList();
    // The pattern itself, or the first topic untrimmed, becomes the handler's nominal topic.
    const Result<TopicName> nominal = TopicName::parse(hasPattern ? pattern : entries.first());
    if (!nominal.ok())
        return thrownFromHandler(nominal.error().message);

    Endpoint endpoint;
    endpoint.kind = EndpointKind::MultiTopicConsumer;
    endpoint.version = ApiVersion::V3;
    endpoint.topic = *nominal;

    // The overridden extractSubscription, inside the consumer's try block: 400s.
    if (parts.size() < 5)
        return caughtByConsumer(ErrorCode::InvalidQueryParams, QStringLiteral("Invalid topic name format"));
    if (parts[1] != u"ws")
        return caughtByConsumer(ErrorCode::InvalidQueryParams, QStringLiteral("null"));
    if (parts[4].isEmpty())
        return caughtByConsumer(ErrorCode::EmptySubscription, QStringLiteral("Empty subscription name"));
    const Result<QString> subscription = TopicName::decodeComponent(parts[4]);
    if (!subscription.ok())
        return caughtByConsumer(ErrorCode::InvalidQueryParams, subscription.error().message);
    endpoint.subscription = *subscription;

    if (hasPattern) {
        endpoint.topicsPattern = pattern;
        return endpoint;
    }
    // ConsumerBuilder.topics() refuses blank entries and trims the rest; the client then refuses bad names.
    for (const QString &entry : entries) {
        if (javaIsBlank(entry))
            return caughtByConsumer(ErrorCode::InvalidQueryParams,
                                    QStringLiteral("topicNames cannot have blank topic"));
    }
    for (const QString &entry : entries) {
        const QString trimmed = javaTrim(entry);
        const Result<TopicName> topic = TopicName::parse(trimmed);
        if (!topic.ok()) {
            return caughtByConsumer(ErrorCode::InvalidTopicName,
                                    QStringLiteral("Invalid topic name: '") + trimmed + u'\'');
        }
        endpoint.topics.append(topic->toString());
    }
    return endpoint;
}

} // namespace

Endpoint Endpoint::producer(const TopicName &topic)
{
    Endpoint endpoint;
    endpoint.kind = EndpointKind::Producer;
    endpoint.version = topic.isV2() ? ApiVersion::V2 : ApiVersion::V1;
    endpoint.topic = topic;
    return endpoint;
}

Endpoint Endpoint::consumer(const TopicName &topic, const QString &subscription)
{
    Endpoint endpoint = producer(topic);
    endpoint.kind = EndpointKind::Consumer;
    endpoint.subscription = subscription;
    return endpoint;
}

Endpoint Endpoint::reader(const TopicName &topic)
{
    Endpoint endpoint = producer(topic);
    endpoint.kind = EndpointKind::Reader;
    return endpoint;
}

Endpoint Endpoint::multiTopic(const QString &subscription, const QList<TopicName> &topics)
{
    Endpoint endpoint;
    endpoint.kind = EndpointKind::MultiTopicConsumer;
    endpoint.version = ApiVersion::V3;
    endpoint.subscription = subscription;
    for (const TopicName &topic : topics)
        endpoint.topics.append(topic.toString());
    if (!topics.isEmpty())
        endpoint.topic = topics.first();
    return endpoint;
}

Endpoint Endpoint::multiTopicPattern(const QString &subscription, const QString &pattern)
{
    Endpoint endpoint;
    endpoint.kind = EndpointKind::MultiTopicConsumer;
    endpoint.version = ApiVersion::V3;
    endpoint.subscription = subscription;
    endpoint.topicsPattern = pattern;
    const Result<TopicName> nominal = TopicName::parse(pattern);
    if (nominal.ok())
        endpoint.topic = *nominal;
    return endpoint;
}

QString endpointPath(const Endpoint &endpoint)
{
    const QString subscription = forUrl(TopicName::encodeComponent(endpoint.subscription));
    if (endpoint.version == ApiVersion::V3)
        return QStringLiteral("/ws/v3/consumer/") + subscription;

    QString path = endpoint.version == ApiVersion::V1 ? QStringLiteral("/ws/") : QStringLiteral("/ws/v2/");
    switch (endpoint.kind) {
    case EndpointKind::Producer:
        path += QStringLiteral("producer/");
        break;
    case EndpointKind::Reader:
        path += QStringLiteral("reader/");
        break;
    case EndpointKind::Consumer:
    case EndpointKind::MultiTopicConsumer:
        path += QStringLiteral("consumer/");
        break;
    }
    path += forUrl(endpoint.topic.restPath());
    if (endpoint.kind != EndpointKind::Producer && endpoint.kind != EndpointKind::Reader)
        path += u'/' + subscription;
    return path;
}

Result<QUrl> endpointUrl(const QUrl &serviceUrl, const Endpoint &endpoint,
                         const QList<QPair<QString, QString>> &queryItems)
{
    if (serviceUrl.isEmpty()) {
        return makeError(ErrorCode::InvalidServiceUrl,
                         QCoreApplication::translate("Pulsar::Endpoint", "The service URL is empty"));
    }
    if (!serviceUrl.isValid() || serviceUrl.isRelative() || serviceUrl.host().isEmpty())
        return serviceUrlError(QT_TRANSLATE_NOOP("Pulsar::Endpoint", "Not an absolute URL with a host: %1"),
                               serviceUrl);
    const QString scheme = serviceUrl.scheme().toLower();
    QByteArray url;
    if (scheme == u"ws" || scheme == u"http")
        url = QByteArrayLiteral("ws://");
    else if (scheme == u"wss" || scheme == u"https")
        url = QByteArrayLiteral("wss://");
    else
        return serviceUrlError(QT_TRANSLATE_NOOP("Pulsar::Endpoint",
                                                 "The service URL must start with ws://, wss://, http:// or "
                                                 "https://: %1"),
                               serviceUrl);
    if (serviceUrl.hasQuery() || serviceUrl.hasFragment())
        return serviceUrlError(
            QT_TRANSLATE_NOOP("Pulsar::Endpoint", "The service URL must not have a query or a fragment: %1"),
            serviceUrl);

    url += serviceUrl.authority(QUrl::FullyEncoded).toUtf8();
    QByteArray prefix = serviceUrl.path(QUrl::FullyEncoded).toUtf8();
    while (prefix.endsWith('/'))
        prefix.chop(1);
    url += prefix;
    url += endpointPath(endpoint).toUtf8();

    QList<QPair<QString, QString>> query;
    if (endpoint.version == ApiVersion::V3) {
        if (endpoint.topicsPattern.isEmpty())
            query.append({QStringLiteral("topics"), endpoint.topics.join(u',')});
        else
            query.append({QStringLiteral("topicsPattern"), endpoint.topicsPattern});
    }
    query += queryItems;
    for (qsizetype i = 0; i < query.size(); ++i) {
        url += i == 0 ? '?' : '&';
        url += forQuery(query[i].first).toUtf8();
        url += '=';
        url += forQuery(query[i].second).toUtf8();
    }

    // Built by hand so that Qt does not re-encode anything; check that QUrl keeps every byte.
    const QUrl result = QUrl::fromEncoded(url, QUrl::StrictMode);
    if (!result.isValid() || result.toEncoded() != url) {
        return serviceUrlError(QT_TRANSLATE_NOOP("Pulsar::Endpoint", "Cannot build a WebSocket URL from %1"),
                               serviceUrl);
    }
    return result;
}

bool isWebSocketPath(const QByteArray &rawPath)
{
    return contextFor(pathOnly(rawPath)) != nullptr;
}

Result<Endpoint> parseEndpoint(const QByteArray &rawPath, const QList<QPair<QString, QString>> &decodedQuery)
{
    const QByteArray path = pathOnly(rawPath);
    const ServletContext *context = contextFor(path);
    if (!context)
        return makeError(ErrorCode::InvalidPath, QStringLiteral("Not a WebSocket endpoint"));
    // Splitter.on("/") keeps every empty segment; index 0 is the empty string before the leading slash.
    const QStringList parts = QString::fromUtf8(path).split(u'/');
    if (context->kind == EndpointKind::MultiTopicConsumer)
        return parseMultiTopicPath(parts, decodedQuery);
    return parseTopicPath(*context, parts);
}

HandshakeFailure handshakeFailureFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidPath:
        return HandshakeFailure::MalformedRequest;
    case ErrorCode::EmptySubscription:
    case ErrorCode::InvalidQueryParams:
        return HandshakeFailure::InvalidQueryParams;
    default:
        return HandshakeFailure::ServerError;
    }
}

QByteArray stripPathPrefix(const QByteArray &rawPath, const QByteArray &prefix)
{
    QByteArray normalised = prefix;
    while (normalised.endsWith('/'))
        normalised.chop(1);
    if (normalised.isEmpty())
        return rawPath.isEmpty() ? QByteArrayLiteral("/") : rawPath;
    if (!normalised.startsWith('/'))
        normalised.prepend('/');
    if (!rawPath.startsWith(normalised))
        return QByteArray();
    const QByteArray rest = rawPath.mid(normalised.size());
    if (rest.isEmpty())
        return QByteArrayLiteral("/");
    if (rest.at(0) != '/')
        return QByteArray();
    return rest;
}

QString firstQueryValue(const QList<QPair<QString, QString>> &query, QStringView name, bool *present)
{
    for (const auto &item : query) {
        if (item.first == name) {
            if (present)
                *present = true;
            return item.second;
        }
    }
    if (present)
        *present = false;
    return QString();
}

} // namespace Pulsar
