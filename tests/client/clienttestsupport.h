#pragma once

// Shared helpers of the client tests (tst_channel, tst_producer, tst_consumer, tst_reader):
// - ClientTarget: the service the tests talk to. The bundled proxy in-process on 127.0.0.1:0 by default; when
//   PDESK_TARGET_WS (and optionally PDESK_TARGET_HTTP) is set, that service instead (a real Pulsar), and the
//   cases that need to configure or restart the proxy skip themselves with SKIP_IF_EXTERNAL.
// - ScriptedServer: a QWebSocketServer whose answers each test scripts (no acks, drop the connection...), for
//   the client behaviour no honest server shows on demand.
// - SilentServer: completes the upgrade by hand and then never answers anything, not even a Ping.
#include "proxyfixture.h"

#include "client/connectionprofile.h"
#include "client/websocketchannel.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocketServer>

#include <functional>
#include <memory>

namespace ClientTest {

// Generous for a loaded 2-core machine (and ASan); QTRY_* returns as soon as the condition holds.
constexpr int kWaitMs = 20000;

inline QString uniqueName(const QString &prefix)
{
    return prefix + QLatin1Char('-') + QString::number(QRandomGenerator::global()->generate64(), 36);
}

class ClientTarget
{
public:
    explicit ClientTarget(Proxy::BrokerConfig brokerConfig = {}, Proxy::ServiceConfig serviceConfig = {})
    {
        const QByteArray ws = qgetenv("PDESK_TARGET_WS");
        if (!ws.isEmpty()) {
            m_externalUrl = QUrl(QString::fromUtf8(ws));
            return;
        }
        m_proxy = std::make_unique<TestSupport::ProxyFixture>(brokerConfig, serviceConfig);
    }

    static bool external() { return !qgetenv("PDESK_TARGET_WS").isEmpty(); }
    TestSupport::ProxyFixture *proxy() const { return m_proxy.get(); }
    QUrl serviceUrl() const { return m_proxy ? QUrl(m_proxy->wsBase()) : m_externalUrl; }
    Pulsar::ConnectionProfile profile() const
    {
        Pulsar::ConnectionProfile profile;
        profile.name = QStringLiteral("test");
        profile.serviceUrl = serviceUrl();
        const QByteArray http = qgetenv("PDESK_TARGET_HTTP");
        if (!http.isEmpty())
            profile.adminUrl = QUrl(QString::fromUtf8(http));
        return profile;
    }
    static Pulsar::TopicName topic(const QString &prefix)
    {
        return *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/") + uniqueName(prefix));
    }

private:
    std::unique_ptr<TestSupport::ProxyFixture> m_proxy;
    QUrl m_externalUrl;
};

#define SKIP_IF_EXTERNAL()                                                                                             \
    do {                                                                                                               \
        if (ClientTest::ClientTarget::external())                                                                      \
            QSKIP("needs the bundled proxy (configured or restarted by the test)");                                    \
    } while (false)

// Fast reconnects for tests: the backoff itself is checked where it matters.
inline Pulsar::ChannelPolicy fastPolicy()
{
    Pulsar::ChannelPolicy policy;
    policy.initialReconnectDelayMs = 50;
    policy.maxReconnectDelayMs = 400;
    policy.connectTimeoutMs = 10000;
    return policy;
}

// A WebSocket server on 127.0.0.1:0 whose behaviour the test scripts frame by frame.
class ScriptedServer
{
public:
    // Called for every text frame; the socket is the connection it arrived on.
    using Handler = std::function<void(QWebSocket *socket, const QString &text)>;

    ScriptedServer()
        : m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(&m_server);
                m_requests.append(socket->requestUrl());
                m_sockets.append(socket);
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket, [this, socket](const QString &t) {
                    m_frames.append(t);
                    if (m_handler)
                        m_handler(socket, t);
                });
            }
        });
    }

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort())); }
    const QList<QUrl> &requests() const { return m_requests; }
    const QStringList &frames() const { return m_frames; }
    int connectionCount() const { return int(m_requests.size()); }
    QWebSocket *lastSocket() const { return m_sockets.isEmpty() ? nullptr : m_sockets.last(); }

private:
    QWebSocketServer m_server;
    Handler m_handler;
    QList<QUrl> m_requests;
    QList<QWebSocket *> m_sockets;
    QStringList m_frames;
};

// Upgrades every connection by hand, then reads and never writes: no Pong, no ack, no close.
class SilentServer
{
public:
    SilentServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                auto buffer = std::make_shared<QByteArray>();
                auto upgraded = std::make_shared<bool>(false);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, upgraded] {
                    *buffer += socket->readAll();
                    if (!*upgraded) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        QByteArray key;
                        for (const QByteArray &line : buffer->left(end).split('\n')) {
                            if (line.toLower().startsWith("sec-websocket-key:"))
                                key = line.mid(18).trimmed();
                        }
                        const QByteArray accept =
                            QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                                     QCryptographicHash::Sha1)
                                .toBase64();
                        socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                                      "Upgrade\r\nSec-WebSocket-Accept: " +
                                      accept + "\r\n\r\n");
                        buffer->remove(0, end + 4);
                        *upgraded = true;
                    }
                    // Client frames are masked: byte 0 holds FIN and the opcode, byte 1 the mask bit and the
                    // length (small frames only, which is all a Ping is).
                    while (buffer->size() >= 2) {
                        const int opcode = quint8(buffer->at(0)) & 0x0f;
                        const int length = quint8(buffer->at(1)) & 0x7f;
                        if (length > 125 || buffer->size() < 2 + 4 + length)
                            break;
                        if (opcode == 0x9)
                            ++m_pings;
                        buffer->remove(0, 2 + 4 + length);
                    }
                });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort())); }
    int pings() const { return m_pings; }
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    int m_pings = 0;
    int m_connections = 0;
};

} // namespace ClientTest
