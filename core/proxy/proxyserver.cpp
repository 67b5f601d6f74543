#include "proxyserver.h"

#include "adminapi.h"
#include "auth/tlsconfig.h"
#include "backend.h"
#include "protocol/endpoint.h"
#include "protocol/messageid.h"
#include "protocol/options.h"
#include "wssession.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace Proxy {

namespace {

// Set while an admin request on this connection is being answered.
constexpr char kBusyProperty[] = "pdeskBusy";

// Pulsar's WebSocket service reaches its broker through the Java client, which renders a broker's refusal as this
// JSON object (ClientCnx); clients see it after "Failed to create producer/consumer: " (spec 5.1). The request id
// and addresses are this service's own, since there is no binary connection behind it.
QString brokerErrorDetail(const QString &message, quint16 servicePort, quint16 peerPort)
{
    static quint64 requestId = QRandomGenerator::global()->generate64() >> 2;
    return QStringLiteral("{\"errorMsg\":\"") + message + QStringLiteral("\",\"reqId\":") +
           QString::number(++requestId) + QStringLiteral(", \"remote\":\"127.0.0.1/127.0.0.1:") +
           QString::number(servicePort) + QStringLiteral("\", \"local\":\"/127.0.0.1:") + QString::number(peerPort) +
           QStringLiteral("\"}");
}

QString randomSuffix()
{
    return QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffULL, 16);
}

} // namespace

ProxyServer::ProxyServer(const ServiceConfig &config, Backend *backend, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_backend(backend)
    , m_tcpServer(new QTcpServer(this))
    , m_webSocketServer(
          new QWebSocketServer(QStringLiteral("pulsar-desk-proxy"), QWebSocketServer::NonSecureMode, this))
    , m_authenticator(config.auth)
    , m_authorizer(config.auth, backend->clusterName())
{
    // Handshakes are decided before the socket reaches QWebSocketServer, so its pending queue only holds sockets
    // already accepted; a connection storm must not be refused there (its default is 30).
    m_webSocketServer->setMaxPendingConnections(100000);
    connect(m_tcpServer, &QTcpServer::newConnection, this, &ProxyServer::onNewTcpConnection);
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this, &ProxyServer::onWebSocketReady);
    m_reaper.setSingleShot(true);
    m_reaper.setInterval(0);
    connect(&m_reaper, &QTimer::timeout, this, [this] { m_finished.clear(); });
}

ProxyServer::~ProxyServer()
{
    stop();
    m_finished.clear();
    m_sessions.clear();
}

bool ProxyServer::listen(QString *error)
{
    if (m_config.tlsEnabled()) {
        const auto tls = loadServerTls(m_config.tlsCertFile, m_config.tlsKeyFile, m_config.tlsCaFile);
        if (!tls) {
            *error = tls.error().message;
            return false;
        }
        for (const QString &warning : tls->warnings)
            qWarning("%s", qPrintable(warning));
        // QWebSocketServer stays in non-secure mode: it is handed sockets that are already encrypted, and its
        // secure mode would only start a TLS server of its own.
        auto *sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(tls->configuration);
        delete m_tcpServer;
        m_tcpServer = sslServer;
        // A QSslServer queues a socket once it is encrypted; newConnection fires before that, at accept.
        connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this, &ProxyServer::onNewTcpConnection);
        m_tcpServer->setMaxPendingConnections(1000);
    }
    if (!m_tcpServer->listen(m_config.host, m_config.port)) {
        *error = m_tcpServer->errorString();
        return false;
    }
    return true;
}

quint16 ProxyServer::port() const
{
    return m_tcpServer->serverPort();
}

QString ProxyServer::serviceUrl() const
{
    QString host = m_config.host.toString();
    if (m_config.host.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return (m_config.tlsEnabled() ? QStringLiteral("wss://") : QStringLiteral("ws://")) + host + QLatin1Char(':') +
           QString::number(port()) + m_config.pathPrefix;
}

void ProxyServer::stopAccepting()
{
    m_tcpServer->close();
    for (auto &session : m_sessions)
        session.second->drain();
}

void ProxyServer::closeSessions()
{
    for (auto &session : m_sessions)
        session.second->goAway();
}

void ProxyServer::stop()
{
    stopAccepting();
    closeSessions();
}

void ProxyServer::onNewTcpConnection()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        // QWebSocketServer leaves accepted sockets with Nagle on; small acks then wait for the peer's delayed
        // ACK (p99 1.66 ms vs 0.39 ms measured here).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onHeadReceived(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->bytesAvailable() > 0)
            onHeadReceived(socket);
    }
}

void ProxyServer::onHeadReceived(QTcpSocket *socket)
{
    if (socket->property(kBusyProperty).toBool())
        return;
    HttpHeadParser parser;
    const QByteArray bytes = socket->peek(socket->bytesAvailable());
    switch (parser.parse(bytes)) {
    case HttpHeadParser::State::NeedMore:
        return;
    case HttpHeadParser::State::TooLarge:
        refuse(socket, 431, QStringLiteral("Request header fields too large"));
        return;
    case HttpHeadParser::State::Malformed:
        refuse(socket, 400, QStringLiteral("Bad request"));
        return;
    case HttpHeadParser::State::Complete:
        break;
    }
    const HttpRequestHead &head = parser.head();
    if (head.isWebSocketUpgrade()) {
        handleUpgrade(socket, head);
        return;
    }
    handleHttpRequest(socket, head, parser.headSize());
}

void ProxyServer::handleHttpRequest(QTcpSocket *socket, const HttpRequestHead &head, int headSize)
{
    const qint64 length = std::max<qint64>(0, head.contentLength());
    if (length > 16 * 1024 * 1024) {
        refuse(socket, 413, QStringLiteral("Request body too large"));
        return;
    }
    if (socket->bytesAvailable() < headSize + length)
        return; // wait for the whole body
    socket->skip(headSize);
    const QByteArray body = socket->read(length);

    const QByteArray path = Pulsar::stripPathPrefix(head.rawPath(), m_config.pathPrefix.toUtf8());
    if (!path.isNull() && Pulsar::isWebSocketPath(path)) {
        refuse(socket, 405, QStringLiteral("HTTP method GET is not supported by this URL"));
        return;
    }
    if (!authorizeAdmin(socket, head, path.isNull() ? head.rawPath() : path))
        return;
    const bool keepAlive = head.header("connection").value_or(QByteArray()).toLower() != "close";
    // One request at a time per connection: a pipelined request waits until this answer is written, so
    // answers never overtake each other even when one needs an asynchronous disk read.
    socket->setProperty(kBusyProperty, true);
    QPointer<QTcpSocket> guard(socket);
    m_backend->handleAdmin(head, path.isNull() ? head.rawPath() : path, body, keepAlive,
                           [this, guard, keepAlive](const QByteArray &response) {
                               if (!guard)
                                   return;
                               guard->setProperty(kBusyProperty, false);
                               guard->write(response);
                               if (!keepAlive)
                                   guard->disconnectFromHost();
                               else if (guard->bytesAvailable() > 0)
                                   QMetaObject::invokeMethod(
                                       this,
                                       [this, guard] {
                                           if (guard)
                                               onHeadReceived(guard);
                                       },
                                       Qt::QueuedConnection);
                           });
}

void ProxyServer::refuseAdmin(QTcpSocket *socket, int status, const QString &reason)
{
    socket->disconnect(this);
    QJsonObject object;
    object.insert(QStringLiteral("reason"), reason);
    socket->write(
        httpResponse(status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}, true));
    socket->disconnectFromHost();
}

bool ProxyServer::authenticateRequest(QTcpSocket *socket, const HttpRequestHead &head,
                                      const QList<QPair<QString, QString>> &query, QString *role)
{
    const AuthResult auth =
        m_authenticator.authenticate(head.header("authorization"), query, head.header("x-pulsar-auth-method-name"));
    if (!auth.ok) {
        // The detail says why (expired, bad signature...) without the token; the client only learns "401".
        qInfo("request refused: %s", qPrintable(auth.detail));
        refuse(socket, 401, QStringLiteral("Authentication required"));
        return false;
    }
    *role = auth.role;
    return true;
}

bool ProxyServer::authorizeAdmin(QTcpSocket *socket, const HttpRequestHead &head, const QByteArray &path)
{
    if (!m_authenticator.isEnabled())
        return true;
    QString role;
    if (!authenticateRequest(socket, head, head.queryItems(), &role))
        return false;
    // <area>/<tenant>/<namespace>/... (v1: <area>/<property>/<cluster>/<namespace>/...), read by the same parser that
    // routes the request: tenant-scoped areas need the tenant's admin role, and reading a namespace's topics or a
    // topic's state is also open to roles granted produce or consume there (Pulsar's GET_TOPICS and GET_STATS
    // operations), through the same namespace and topic grants in both versions; the rest is the cluster's business
    // (super-users), except health and version, which any authenticated caller may read. A path that does not parse
    // is only answered (404 or 400) for super-users.
    const auto target = AdminPath::parse(path);
    const QString area = target ? target->area() : QString();
    const QString tenant = target ? target->tenant() : QString();
    const bool topicArea = area == QLatin1String("persistent") || area == QLatin1String("non-persistent");
    bool allowed;
    if (area == QLatin1String("brokers") && head.method == "GET") {
        allowed = true;
    } else if ((area == QLatin1String("tenants") && !tenant.isEmpty() && head.method != "PUT") ||
               area == QLatin1String("namespaces") || topicArea) {
        allowed = m_authorizer.canAdministerTenant(role, m_backend->tenantAdminRoles(tenant));
        if (!allowed && head.method == "GET" && target->hasNamespace()) {
            const QString domain = topicArea ? area : QStringLiteral("persistent");
            // A topic path names its topic; a namespace path is checked through a topic of that namespace.
            const QString local = topicArea ? target->segments.value(target->afterNamespace()) : QString();
            const auto topic =
                Pulsar::TopicName::parse(domain + QStringLiteral("://") + target->namespaceName() + QLatin1Char('/') +
                                         (local.isEmpty() ? QStringLiteral("_") : local));
            allowed = topic && (m_authorizer.authorize(role, *topic, TopicOperation::Consume) ||
                                m_authorizer.authorize(role, *topic, TopicOperation::Produce));
        }
    } else {
        allowed = m_authorizer.canAdministerCluster(role);
    }
    if (!allowed) {
        refuseAdmin(socket, 403, QStringLiteral("Client is not authorized to perform operation"));
        return false;
    }
    return true;
}

void ProxyServer::refuse(QTcpSocket *socket, int status, const QString &message)
{
    socket->disconnect(this);
    socket->write(
        httpResponse(status, "text/html;charset=iso-8859-1", Pulsar::handshakeErrorBody(status, message), {}, true));
    socket->disconnectFromHost();
}

// The peer as the admin stats name it: Java's InetSocketAddress.toString() ("/127.0.0.1:54321"), an IPv4-mapped
// IPv6 peer in its IPv4 form, and this service as the client version (where Pulsar names its Java client).
static ClientInfo clientInfoOf(const QTcpSocket *socket, const QString &serviceVersion)
{
    bool mapped = false;
    const quint32 v4 = socket->peerAddress().toIPv4Address(&mapped);
    const QString host = mapped ? QHostAddress(v4).toString() : socket->peerAddress().toString();
    return ClientInfo{QLatin1Char('/') + host + QLatin1Char(':') + QString::number(socket->peerPort()),
                      QStringLiteral("Pulsar-Desk-Proxy-v") + serviceVersion};
}

static SubscribeSpec subscribeSpecFor(const Pulsar::ConsumerOptions &options, const Pulsar::TopicName &topic,
                                      const QString &subscription)
{
    SubscribeSpec spec;
    spec.subscription = subscription;
    spec.kind = options.subscriptionType;
    spec.durable = options.subscriptionMode == Pulsar::SubscriptionMode::Durable;
    spec.initialPosition = options.subscriptionInitialPosition == Pulsar::InitialPosition::Earliest
                               ? StartPosition::Earliest
                               : StartPosition::Latest;
    spec.consumerName = options.consumerName.value_or(randomSuffix());
    spec.priorityLevel = options.priorityLevel;
    spec.ackTimeoutMs = options.ackTimeoutMillis;
    spec.negativeAckDelayMs = options.negativeAckRedeliveryDelay;
    if (options.deadLetterEnabled()) {
        spec.maxRedeliverCount = *options.maxRedeliverCount;
        spec.deadLetterTopic = options.deadLetterTopicFor(topic.toString(), subscription);
    }
    return spec;
}

void ProxyServer::handleUpgrade(QTcpSocket *socket, const HttpRequestHead &head)
{
    using Pulsar::HandshakeFailure;
    const auto refuseWith = [&](HandshakeFailure failure, const QString &detail) {
        refuse(socket, Pulsar::httpStatusFor(failure), Pulsar::handshakeMessage(failure, detail));
    };
    const auto refuseFromBroker = [&](HandshakeFailure failure, const QString &detail) {
        refuseWith(failure, brokerErrorDetail(detail, port(), socket->peerPort()));
    };

    const QByteArray path = Pulsar::stripPathPrefix(head.rawPath(), m_config.pathPrefix.toUtf8());
    if (path.isNull() || !Pulsar::isWebSocketPath(path)) {
        refuseWith(HandshakeFailure::NotFound, QStringLiteral("Not Found"));
        return;
    }
    const auto query = head.queryItems();
    // Standalone Pulsar runs its WebSocket service inside the broker, whose authentication filter answers every
    // request before any handler sees it: 401 "Authentication required", even for a bad path or query (spec 5.1).
    QString role;
    if (!authenticateRequest(socket, head, query, &role))
        return;
    const auto endpoint = Pulsar::parseEndpoint(path, query);
    if (!endpoint) {
        const HandshakeFailure failure = Pulsar::handshakeFailureFor(endpoint.error());
        refuseWith(failure, endpoint.error().message);
        return;
    }
    const ClientInfo client = clientInfoOf(socket, m_config.version);

    // Authorization happens where Pulsar's handlers check it (spec 2.2): before the query for producers, after
    // it for consumers and readers. Authentication has already happened, before the path was even parsed.
    const auto authorize = [&](const QList<Pulsar::TopicName> &topics, TopicOperation operation,
                               const QString &subscription) {
        for (const auto &topic : topics) {
            if (!m_authorizer.authorize(role, topic, operation, subscription)) {
                refuseWith(HandshakeFailure::NotAuthorized, QString());
                return false;
            }
        }
        return true;
    };

    WsSession *session = nullptr;
    BrokerError error;
    switch (endpoint->kind) {
    case Pulsar::EndpointKind::Producer: {
        if (!authorize({endpoint->topic}, TopicOperation::Produce, QString()))
            return;
        const auto options = Pulsar::ProducerOptions::fromQuery(query);
        if (!options) {
            refuseWith(HandshakeFailure::InvalidQueryParams, options.error().message);
            return;
        }
        if (options->encryptionKeys && !options->usesClientSideEncryption()) {
            // Server-side encryption needs a crypto key reader, which this service does not have (spec 2.1 a).
            refuseWith(HandshakeFailure::ServerError,
                       QStringLiteral("Can't add encryption key without configuring cryptoKeyReaderFactoryClassName"));
            return;
        }
        auto producer = m_backend->createProducer(endpoint->topic, *options, client, &error);
        if (!producer) {
            refuseFromBroker(error.failure, error.detail);
            return;
        }
        session = new ProducerWsSession(m_config, std::move(producer), options->clientSideEncryptionKeys());
        break;
    }
    case Pulsar::EndpointKind::Consumer:
    case Pulsar::EndpointKind::MultiTopicConsumer: {
        const auto options = Pulsar::ConsumerOptions::fromQuery(query);
        if (!options) {
            refuseWith(HandshakeFailure::InvalidQueryParams, options.error().message);
            return;
        }
        // A pattern is checked as the topic name it reads as, every listed topic one by one (spec 6.6).
        QList<Pulsar::TopicName> checked;
        if (endpoint->kind == Pulsar::EndpointKind::Consumer || !endpoint->topicsPattern.isEmpty()) {
            checked.append(endpoint->topic);
        } else {
            for (const QString &name : endpoint->topics)
                checked.append(*Pulsar::TopicName::parse(name));
        }
        if (!authorize(checked, TopicOperation::Consume, endpoint->subscription))
            return;
        QList<Pulsar::TopicName> topics;
        if (endpoint->kind == Pulsar::EndpointKind::Consumer) {
            topics.append(endpoint->topic);
        } else if (!endpoint->topicsPattern.isEmpty()) {
            topics = m_backend->topicsMatching(endpoint->topicsPattern, &error);
            if (topics.isEmpty() && !error.detail.isEmpty()) {
                refuseWith(error.failure, error.detail);
                return;
            }
        } else {
            for (const QString &name : endpoint->topics)
                topics.append(*Pulsar::TopicName::parse(name));
        }
        auto *consumerSession =
            new ConsumerWsSession(m_config, ConsumerWsSession::Mode::Consumer, options->pushWindow(), options->pullMode,
                                  options->cryptoFailureAction);
        SubscribeSpec spec = subscribeSpecFor(*options, endpoint->topic, endpoint->subscription);
        spec.client = client;
        const QList<ConsumerLink *> consumers = m_backend->subscribe(topics, consumerSession, spec, &error);
        if (consumers.isEmpty() && !topics.isEmpty()) {
            delete consumerSession;
            refuseFromBroker(error.failure, error.detail);
            return;
        }
        consumerSession->setConsumers(consumers);
        session = consumerSession;
        break;
    }
    case Pulsar::EndpointKind::Reader: {
        const auto options = Pulsar::ReaderOptions::fromQuery(query);
        if (!options) {
            refuseWith(HandshakeFailure::MalformedRequest,
                       QStringLiteral("java.lang.NumberFormatException: ") + options.error().message);
            return;
        }
        if (!authorize({endpoint->topic}, TopicOperation::Consume, QString()))
            return;
        SubscribeSpec spec;
        spec.subscription = QStringLiteral("reader-") + randomSuffix();
        spec.kind = Pulsar::SubscriptionType::Exclusive;
        spec.durable = false;
        spec.isReader = true;
        spec.client = client;
        spec.consumerName = options->readerName.value_or(spec.subscription);
        switch (options->start()) {
        case Pulsar::ReaderStart::Earliest:
            spec.initialPosition = StartPosition::Earliest;
            break;
        case Pulsar::ReaderStart::Latest:
            spec.initialPosition = StartPosition::Latest;
            break;
        case Pulsar::ReaderStart::MessageId: {
            const auto id = Pulsar::MessageId::fromBase64(QStringView(options->messageId));
            if (!id) {
                refuseWith(HandshakeFailure::ReaderFailed, id.error().message);
                return;
            }
            spec.initialPosition = StartPosition::AfterEntry;
            spec.startAfterEntry = id->entryId;
            break;
        }
        }
        auto *readerSession =
            new ConsumerWsSession(m_config, ConsumerWsSession::Mode::Reader, options->pushWindow(), false);
        const QList<ConsumerLink *> consumers = m_backend->subscribe({endpoint->topic}, readerSession, spec, &error);
        if (consumers.isEmpty()) {
            delete readerSession;
            refuseFromBroker(HandshakeFailure::ReaderFailed, error.detail);
            return;
        }
        readerSession->setConsumers(consumers);
        session = readerSession;
        break;
    }
    }

    std::unique_ptr<WsSession> owned(session);
    connect(session, &WsSession::finished, this, &ProxyServer::removeSession, Qt::QueuedConnection);
    m_sessions.emplace(session, std::move(owned));
    m_awaitingUpgrade.insert(socket->peerPort(), session);
    // If QWebSocketServer refuses the upgrade after all (a malformed WebSocket key, say), the socket goes away
    // without a QWebSocket ever appearing; the session goes with it.
    const quint16 peerPort = socket->peerPort();
    connect(socket, &QObject::destroyed, this, [this, peerPort, session] {
        if (m_awaitingUpgrade.value(peerPort) == session) {
            m_awaitingUpgrade.remove(peerPort);
            removeSession(session);
        }
    });
    socket->disconnect(this);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    m_webSocketServer->handleConnection(socket);
    Q_EMIT sessionsChanged();
}

void ProxyServer::onWebSocketReady()
{
    while (QWebSocket *socket = m_webSocketServer->nextPendingConnection()) {
        WsSession *session = m_awaitingUpgrade.take(socket->peerPort());
        if (!session) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // The session enforces maxTextFrameBytes with Jetty's close reason; Qt's limits stay a little above it, so
        // that memory is bounded even for a message the session never sees.
        const quint64 hardLimit = quint64(m_config.maxTextFrameBytes) * 2 + 64 * 1024;
        socket->setMaxAllowedIncomingFrameSize(hardLimit);
        socket->setMaxAllowedIncomingMessageSize(hardLimit);
        session->attach(socket);
    }
}

void ProxyServer::removeSession(WsSession *session)
{
    const auto it = m_sessions.find(session);
    if (it == m_sessions.end())
        return;
    for (auto a = m_awaitingUpgrade.begin(); a != m_awaitingUpgrade.end();) {
        if (a.value() == session)
            a = m_awaitingUpgrade.erase(a);
        else
            ++a;
    }
    m_finished.push_back(std::move(it->second));
    m_sessions.erase(it);
    m_reaper.start();
    Q_EMIT sessionsChanged();
}

} // namespace Proxy
