#pragma once

#include "proxy/broker/broker.h"
#include "proxy/embeddedbackend.h"
#include "proxy/proxyserver.h"
#include "proxy/store/messagestore.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

namespace TestSupport {

// The bundled service in-process on 127.0.0.1 and a free port, over a temporary data directory that outlives
// restart() so persistence can be checked.
class ProxyFixture
{
public:
    explicit ProxyFixture(Proxy::BrokerConfig brokerConfig = {}, Proxy::ServiceConfig serviceConfig = {},
                          Proxy::StoreOptions::SyncMode sync = Proxy::StoreOptions::None)
        : m_brokerConfig(brokerConfig)
        , m_serviceConfig(serviceConfig)
        , m_sync(sync)
    {
        m_serviceConfig.port = 0;
        m_serviceConfig.host = QHostAddress::LocalHost;
        start();
    }
    ~ProxyFixture() { stop(); }

    bool start()
    {
        Proxy::StoreOptions options;
        options.dataDir = m_dir.path();
        options.sync = m_sync;
        m_store = std::make_unique<Proxy::MessageStore>(options);
        QString error;
        if (!m_store->open(&error)) {
            qWarning("store: %s", qPrintable(error));
            return false;
        }
        m_broker = std::make_unique<Proxy::Broker>(m_brokerConfig, m_store.get());
        m_broker->start();
        m_backend = std::make_unique<Proxy::EmbeddedBackend>(m_broker.get(), m_serviceConfig);
        m_server = std::make_unique<Proxy::ProxyServer>(m_serviceConfig, m_backend.get());
        if (!m_server->listen(&error)) {
            qWarning("listen: %s", qPrintable(error));
            return false;
        }
        return true;
    }

    void stop()
    {
        if (!m_server)
            return;
        m_server->stop();
        m_server.reset();
        m_backend.reset();
        m_broker->shutdown();
        m_broker.reset();
        m_store.reset();
    }

    bool restart()
    {
        stop();
        return start();
    }

    Proxy::Broker *broker() const { return m_broker.get(); }
    Proxy::MessageStore *store() const { return m_store.get(); }
    quint16 port() const { return m_server->port(); }
    QString wsBase() const { return QStringLiteral("ws://127.0.0.1:") + QString::number(port()); }
    QUrl url(const QString &pathAndQuery) const { return QUrl(wsBase() + pathAndQuery); }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    Proxy::BrokerConfig m_brokerConfig;
    Proxy::ServiceConfig m_serviceConfig;
    Proxy::StoreOptions::SyncMode m_sync;
    std::unique_ptr<Proxy::MessageStore> m_store;
    std::unique_ptr<Proxy::Broker> m_broker;
    std::unique_ptr<Proxy::EmbeddedBackend> m_backend;
    std::unique_ptr<Proxy::ProxyServer> m_server;
};

// A WebSocket client that records every text frame as JSON.
class WsClient
{
public:
    explicit WsClient(const QUrl &url)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket, [this](const QString &text) {
            m_raw.append(text);
            m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        m_socket.open(url);
    }

    bool waitConnected(int ms = 5000)
    {
        if (m_socket.state() == QAbstractSocket::ConnectedState)
            return true;
        QSignalSpy spy(&m_socket, &QWebSocket::connected);
        return spy.wait(ms) || m_socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QJsonObject &object)
    {
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }

    QWebSocket &socket() { return m_socket; }
    const QList<QJsonObject> &frames() const { return m_frames; }
    const QStringList &raw() const { return m_raw; }
    int count() const { return int(m_frames.size()); }
    // Messages only (frames with a messageId), as opposed to endOfTopic answers.
    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> result;
        for (const auto &f : m_frames) {
            if (f.contains(QLatin1String("messageId")) && f.contains(QLatin1String("payload")))
                result.append(f);
        }
        return result;
    }
    void clear()
    {
        m_frames.clear();
        m_raw.clear();
    }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QStringList m_raw;
};

// The raw HTTP answer to a WebSocket upgrade request, for checking refused handshakes byte by byte.
struct HandshakeAnswer
{
    int status = 0;
    QByteArray statusLine;
    QByteArray headers;
    QByteArray body;
};

inline HandshakeAnswer rawHandshake(quint16 port, const QByteArray &target, const QByteArray &extraHeaders = {},
                                    bool upgrade = true)
{
    // The service may run in this very thread, so wait by spinning the event loop, never by blocking.
    QTcpSocket socket;
    QByteArray response;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { response += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    HandshakeAnswer answer;
    QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (upgrade)
        request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n";
    else
        request += "Connection: close\r\n";
    request += extraHeaders + "\r\n";
    socket.write(request);

    const auto complete = [&] {
        const int end = response.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QByteArray head = response.left(end);
        if (head.contains(" 101 "))
            return true;
        const int cl = head.toLower().indexOf("content-length:");
        if (cl < 0)
            return socket.state() == QAbstractSocket::UnconnectedState;
        const int lineEnd = head.indexOf('\r', cl);
        const qint64 length = head.mid(cl + 15, lineEnd < 0 ? -1 : lineEnd - cl - 15).trimmed().toLongLong();
        return response.size() >= end + 4 + length;
    };
    QElapsedTimer timer;
    timer.start();
    while (!complete() && timer.elapsed() < 5000 &&
           !(socket.state() == QAbstractSocket::UnconnectedState && response.indexOf("\r\n\r\n") < 0 &&
             timer.elapsed() > 500))
        QTest::qWait(5);

    const int end = response.indexOf("\r\n\r\n");
    const int lineEnd = response.indexOf("\r\n");
    answer.statusLine = response.left(lineEnd);
    const QList<QByteArray> parts = answer.statusLine.split(' ');
    if (parts.size() >= 2)
        answer.status = parts[1].toInt();
    answer.headers = response.mid(lineEnd + 2, end - lineEnd - 2);
    answer.body = end >= 0 ? response.mid(end + 4) : QByteArray();
    return answer;
}

inline QJsonObject sendFrame(const QByteArray &payload, const QString &context = QString(),
                             const QJsonObject &properties = {}, const QString &key = QString())
{
    QJsonObject o;
    o.insert(QStringLiteral("payload"), QString::fromLatin1(payload.toBase64()));
    if (!context.isEmpty())
        o.insert(QStringLiteral("context"), context);
    if (!properties.isEmpty())
        o.insert(QStringLiteral("properties"), properties);
    if (!key.isEmpty())
        o.insert(QStringLiteral("key"), key);
    return o;
}

inline QByteArray payloadOf(const QJsonObject &message)
{
    return QByteArray::fromBase64(message.value(QLatin1String("payload")).toString().toLatin1());
}

} // namespace TestSupport
