#include "websocketchannel.h"

#include "handshakeprobe.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslError>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcChannel, "pulsar.client.channel")

// Why a diagnostic handshake, and not our own WebSocket implementation:
//
// QWebSocket (6.4.2, qwebsocket_p.cpp processHandshake) reads the upgrade answer and, for any status but 101,
// emits error(ConnectionRefusedError) with a text such as "Unhandled http status code: 409 (Conflict)" (400
// gives "Unknown error condition"); the body, where Pulsar puts its message, is never exposed, and neither is
// the status as a number. Two sound ways out:
//  1. do the whole upgrade ourselves and then speak WebSocket framing ourselves, because QWebSocket cannot
//     adopt an already-upgraded client socket (only QWebSocketServer::handleConnection can, server side);
//  2. keep QWebSocket for every connection that works, and when it reports a refused upgrade, repeat the same
//     request (same URL, headers and TLS settings) over a raw socket to read the status and the body.
// We take 2. Re-implementing framing, masking, fragmentation, ping/pong and close handling would duplicate a
// tested library to fix the one path that is already a failure. The cost is one extra request, on failures
// only. A refused upgrade has no side effect in Pulsar (the producer or consumer was not created), and the
// refusals that matter (400, 401, 403, 404, 500 on the path, 409 while the other consumer is connected) are
// deterministic, so the repeat gives the same answer. If the repeat is accepted after all (a transient
// refusal), HandshakeProbe drops the connection as soon as it reads "101", and the failure is reported as a
// retriable network error without a status.

namespace Pulsar {

WebSocketChannel::WebSocketChannel(const ConnectionProfile &profile, const ChannelPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_policy(policy)
{
    qRegisterMetaType<Pulsar::ChannelStatus>();
    qRegisterMetaType<Pulsar::ClientError>();
    m_connectTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    m_deadPeerTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        discardSocket(false);
        attemptFailed(ClientError::make(ClientErrorCode::Timeout,
                                        tr("no WebSocket connection after %1 ms").arg(m_policy.connectTimeoutMs)));
    });
    connect(&m_reconnectTimer, &QTimer::timeout, this, &WebSocketChannel::startAttempt);
    connect(&m_pingTimer, &QTimer::timeout, this, &WebSocketChannel::onPingTick);
    connect(&m_deadPeerTimer, &QTimer::timeout, this, [this] {
        m_dropReason = ClientError::make(ClientErrorCode::ConnectionLost,
                                         tr("no answer to a ping within %1 ms").arg(m_policy.deadPeerTimeoutMs));
        qCInfo(lcChannel) << "dead peer:" << displayUrl();
        if (m_socket)
            m_socket->abort(); // disconnected follows, synchronously or not
    });
}

WebSocketChannel::~WebSocketChannel()
{
    discardSocket(false);
}

QString WebSocketChannel::displayUrl() const
{
    return Pulsar::displayUrl(m_url);
}

void WebSocketChannel::open(const QUrl &url)
{
    m_url = url;
    m_connections = 0;
    m_failedAttempts = 0;
    if (const auto invalid = m_profile.validate()) {
        fail(*invalid);
        return;
    }
    startAttempt();
}

void WebSocketChannel::close()
{
    m_reconnectTimer.stop();
    m_connectTimer.stop();
    m_pingTimer.stop();
    m_deadPeerTimer.stop();
    // close() may run inside the probe's own finished() (a Failed status handler closing the session): it must not
    // be destroyed under its emitting frame.
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    discardSocket(true);
    if (m_status.state != ChannelState::Closed)
        setStatus(ChannelState::Closed);
}

void WebSocketChannel::startAttempt()
{
    discardSocket(false);
    m_sslErrors.clear();
    m_dropReason = ClientError();
    if (m_status.state != ChannelState::Reconnecting)
        setStatus(ChannelState::Connecting, ClientError(), 1);

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // Trap 1: never a small read buffer (a frame larger than it never arrives); bound frames and messages instead.
    m_socket->setReadBufferSize(0);
    m_socket->setMaxAllowedIncomingFrameSize(m_policy.maxIncomingFrameBytes);
    m_socket->setMaxAllowedIncomingMessageSize(m_policy.maxIncomingMessageBytes);
    connect(m_socket, &QWebSocket::connected, this, &WebSocketChannel::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketChannel::onSocketDisconnected);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &WebSocketChannel::onSocketError);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        onActivity();
        Q_EMIT textReceived(text);
    });
    connect(m_socket, &QWebSocket::pong, this, &WebSocketChannel::onActivity);
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_aboveHighWater && m_socket && m_socket->bytesToWrite() <= m_policy.outgoingHighWaterBytes / 2) {
            m_aboveHighWater = false;
            Q_EMIT writable();
        }
    });
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &e : errors)
            texts.append(e.errorString());
        m_sslErrors = texts.join(QLatin1String("; "));
        // Only an explicit switch lets a connection continue past verification errors.
        if (m_profile.allowInsecureTls && m_socket)
            m_socket->ignoreSslErrors();
    });
    const QNetworkRequest request = m_profile.request(m_url);
    // QWebSocket takes its TLS settings from setSslConfiguration(), not from the request.
    if (m_profile.isSecure())
        m_socket->setSslConfiguration(request.sslConfiguration());
    m_connectTimer.start(m_policy.connectTimeoutMs);
    qCDebug(lcChannel) << "connecting to" << displayUrl();
    m_socket->open(request);
}

void WebSocketChannel::onConnected()
{
    m_connectTimer.stop();
    ++m_connections;
    m_failedAttempts = 0;
    m_aboveHighWater = false;
    // TCP_NODELAY, as Node's ws and the proxy set it. With Nagle on, each small frame (an ack, a send) waits for
    // the peer's TCP ack of the previous one, and a consumer acking every message left both ends idle half the
    // time. QWebSocket has no socket options of its own; its TCP (or TLS) socket is its child.
    if (auto *tcp = m_socket->findChild<QAbstractSocket *>())
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_policy.pingIntervalMs > 0)
        m_pingTimer.start(m_policy.pingIntervalMs);
    qCInfo(lcChannel) << "connected to" << displayUrl();
    setStatus(ChannelState::Connected);
    Q_EMIT connected();
}

void WebSocketChannel::onSocketError(QAbstractSocket::SocketError socketError)
{
    // The signal's argument, not QWebSocket::error(): that getter reports the TCP socket's error, which is
    // UnknownSocketError after a refused upgrade.
    if (!m_socket)
        return;
    if (m_status.state == ChannelState::Connected)
        return; // an established connection: disconnected() follows and handles it
    QString detail = m_socket->errorString();
    if (!m_sslErrors.isEmpty())
        detail += QLatin1String(": ") + m_sslErrors;
    const ClientError qtError = ClientError::make(clientErrorCodeFor(socketError), detail);
    m_connectTimer.stop();
    discardSocket(false);

    // ConnectionRefusedError covers both "nothing listens" and a refused upgrade; RemoteHostClosedError a server
    // that hung up before answering. Only then can the answer hold a status worth reading.
    const bool mayBeHandshake = socketError == QAbstractSocket::ConnectionRefusedError ||
                                socketError == QAbstractSocket::RemoteHostClosedError ||
                                socketError == QAbstractSocket::UnknownSocketError;
    if (!m_policy.diagnoseHandshakeFailures || !mayBeHandshake) {
        attemptFailed(qtError);
        return;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    m_profile.applyTls(&tls);
    auto *probe = new HandshakeProbe(m_profile.authenticatedUrl(m_url), m_profile.authorizationHeader(), tls,
                                     m_profile.allowInsecureTls, std::min(m_policy.connectTimeoutMs, 15000), this);
    m_probe = probe;
    connect(probe, &HandshakeProbe::finished, this, [this, probe, qtError](const HandshakeProbe::Outcome &outcome) {
        probe->deleteLater();
        switch (outcome.kind) {
        case HandshakeProbe::Outcome::Kind::HttpStatus:
            attemptFailed(ClientError::handshake(outcome.status, outcome.message, qtError.detail));
            return;
        case HandshakeProbe::Outcome::Kind::Upgraded:
            attemptFailed(ClientError::make(ClientErrorCode::NetworkError,
                                            qtError.detail + QLatin1Char(' ') +
                                                tr("(a second attempt was accepted, so the refusal was transient)")));
            return;
        case HandshakeProbe::Outcome::Kind::SocketError:
            // The probe's own classification is the more precise one (Qt calls a refused TCP connection and a
            // refused upgrade alike).
            attemptFailed(outcome.error.isError() ? outcome.error : qtError);
            return;
        }
    });
    probe->start();
}

void WebSocketChannel::onSocketDisconnected()
{
    if (!m_socket)
        return;
    if (m_status.state != ChannelState::Connected) {
        // Qt may report the end of a failed attempt (a refused TCP connection, say) as disconnected() before,
        // or instead of, error(): classify it by the TCP socket's error.
        onSocketError(m_socket->error());
        return;
    }
    ClientError reason = m_dropReason;
    if (!reason.isError()) {
        // Spec 5.2: whatever the close code (Qt says 1000 for Pulsar's status-3 closes), the server ended it.
        const int code = int(m_socket->closeCode());
        QString detail = tr("closed by the server (code %1)").arg(code);
        if (!m_socket->closeReason().isEmpty())
            detail += QLatin1String(": ") + m_socket->closeReason();
        reason = ClientError::make(ClientErrorCode::ConnectionLost, detail);
    }
    discardSocket(false);
    connectionDropped(reason);
}

void WebSocketChannel::connectionDropped(const ClientError &error)
{
    m_pingTimer.stop();
    m_deadPeerTimer.stop();
    qCInfo(lcChannel) << "connection lost:" << displayUrl() << error.detail;
    Q_EMIT disconnected(error);
    if (m_status.state == ChannelState::Closed)
        return; // a slot closed the channel
    if (!m_policy.reconnect) {
        fail(error);
        return;
    }
    m_failedAttempts = 0;
    scheduleReconnect(error);
}

void WebSocketChannel::attemptFailed(const ClientError &error)
{
    if (m_status.state == ChannelState::Closed)
        return;
    qCInfo(lcChannel) << "connection attempt failed:" << displayUrl() << error.text();
    const bool everConnected = m_connections > 0;
    if ((!everConnected && !m_policy.retryInitialConnect) || !m_policy.reconnect || !isRetriable(error)) {
        fail(error);
        return;
    }
    scheduleReconnect(error);
}

bool WebSocketChannel::isRetriable(const ClientError &error) const
{
    switch (error.code) {
    case ClientErrorCode::InvalidConfiguration:
    case ClientErrorCode::TlsError:
        return false;
    case ClientErrorCode::HandshakeRefused:
        // Bad request, authentication, authorization, unknown path or topic: asking again cannot help. A
        // conflict (409: the server may not have noticed our old connection is gone yet), throttling and
        // server-side failures can pass.
        return !(error.httpStatus == 400 || error.httpStatus == 401 || error.httpStatus == 403 ||
                 error.httpStatus == 404 || error.httpStatus == 405);
    default:
        return true;
    }
}

void WebSocketChannel::scheduleReconnect(const ClientError &error)
{
    ++m_failedAttempts;
    if (m_policy.maxReconnectAttempts >= 0 && m_failedAttempts > m_policy.maxReconnectAttempts) {
        fail(error);
        return;
    }
    const double base = m_policy.initialReconnectDelayMs * std::pow(m_policy.backoffMultiplier, m_failedAttempts - 1);
    const double capped = std::min(base, double(m_policy.maxReconnectDelayMs));
    const double jitter = std::clamp(m_policy.jitter, 0.0, 1.0);
    const int delay = std::max(0, int(capped * (1.0 - jitter * QRandomGenerator::global()->generateDouble())));
    setStatus(ChannelState::Reconnecting, error, m_failedAttempts, delay);
    m_reconnectTimer.start(delay);
}

void WebSocketChannel::fail(const ClientError &error)
{
    m_reconnectTimer.stop();
    m_connectTimer.stop();
    m_pingTimer.stop();
    m_deadPeerTimer.stop();
    discardSocket(false);
    setStatus(ChannelState::Failed, error);
}

void WebSocketChannel::setStatus(ChannelState state, const ClientError &error, int attempt, int delayMs)
{
    m_status.state = state;
    m_status.error = error;
    m_status.attempt = attempt;
    m_status.reconnectDelayMs = delayMs;
    Q_EMIT statusChanged(m_status);
}

void WebSocketChannel::discardSocket(bool graceful)
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (graceful && socket->state() == QAbstractSocket::ConnectedState) {
        // Let the Close frame go out; a peer that never answers it is cut after a moment.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        socket->close();
        QTimer::singleShot(2000, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        return;
    }
    socket->abort();
    socket->deleteLater();
}

bool WebSocketChannel::sendText(const QByteArray &utf8)
{
    return sendTextString(QString::fromUtf8(utf8));
}

bool WebSocketChannel::sendTextString(const QString &text)
{
    if (!m_socket || m_status.state != ChannelState::Connected)
        return false;
    m_socket->sendTextMessage(text);
    // A write error inside either call may end the connection, and with it m_socket, before they return.
    if (m_socket && m_policy.writeBatchBytes > 0 && m_socket->bytesToWrite() >= m_policy.writeBatchBytes)
        m_socket->flush();
    if (m_socket && m_socket->bytesToWrite() > m_policy.outgoingHighWaterBytes)
        m_aboveHighWater = true;
    return true;
}

bool WebSocketChannel::isWritable() const
{
    return m_socket && m_status.state == ChannelState::Connected &&
           m_socket->bytesToWrite() <= m_policy.outgoingHighWaterBytes;
}

qint64 WebSocketChannel::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void WebSocketChannel::onPingTick()
{
    if (!m_socket || m_status.state != ChannelState::Connected)
        return;
    if (m_policy.deadPeerTimeoutMs > 0 && !m_deadPeerTimer.isActive())
        m_deadPeerTimer.start(m_policy.deadPeerTimeoutMs);
    m_socket->ping();
}

void WebSocketChannel::onActivity()
{
    if (m_deadPeerTimer.isActive())
        m_deadPeerTimer.stop();
}

} // namespace Pulsar
