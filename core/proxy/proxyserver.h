#pragma once

#include "auth/authenticator.h"
#include "auth/authorizer.h"
#include "broker/brokertypes.h"
#include "httpmessage.h"
#include "serviceconfig.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace Proxy {

class Backend;
class WsSession;

// The bundled service's network front: one port for WebSocket sessions and the admin REST API, like Pulsar's
// web service port. It reads each request head itself so that a refused handshake gets Pulsar's HTTP status and
// message (QWebSocketServer can only accept or drop), and hands accepted sockets to QWebSocketServer.
class ProxyServer final : public QObject
{
    Q_OBJECT

public:
    ProxyServer(const ServiceConfig &config, Backend *backend, QObject *parent = nullptr);
    ~ProxyServer() override;

    bool listen(QString *error);
    quint16 port() const;
    QString serviceUrl() const; // ws://host:port
    int sessionCount() const { return int(m_sessions.size()); }
    // Stops accepting connections; open sessions stop reading frames, so nothing new is published while the
    // store commits what it already has (their acks still go out).
    void stopAccepting();
    // Closes every session with 1001 (going away).
    void closeSessions();
    // Both at once.
    void stop();

Q_SIGNALS:
    void sessionsChanged();

private:
    void onNewTcpConnection();
    void onHeadReceived(QTcpSocket *socket);
    void handleHttpRequest(QTcpSocket *socket, const HttpRequestHead &head, int headSize);
    void handleUpgrade(QTcpSocket *socket, const HttpRequestHead &head);
    void refuse(QTcpSocket *socket, int status, const QString &message);
    void refuseAdmin(QTcpSocket *socket, int status, const QString &reason);
    // The broker's authentication filter: false (and 401 sent) when the caller cannot be authenticated.
    bool authenticateRequest(QTcpSocket *socket, const HttpRequestHead &head,
                             const QList<QPair<QString, QString>> &query, QString *role);
    // Who may call this admin route; false (and an answer sent) when the caller may not.
    bool authorizeAdmin(QTcpSocket *socket, const HttpRequestHead &head, const QByteArray &path);
    void onWebSocketReady();
    void removeSession(WsSession *session);

    ServiceConfig m_config;
    Backend *m_backend;
    QTcpServer *m_tcpServer;
    QWebSocketServer *m_webSocketServer;
    Authenticator m_authenticator;
    Authorizer m_authorizer;
    // Sessions decided at handshake time, waiting for QWebSocketServer to finish the upgrade, by peer port.
    QHash<quint16, WsSession *> m_awaitingUpgrade;
    std::unordered_map<WsSession *, std::unique_ptr<WsSession>> m_sessions;
    // Sessions that finished, destroyed on the next turn of the event loop (not inside their own signal) and at the
    // latest with the server, so none outlives the backend it points into.
    std::vector<std::unique_ptr<WsSession>> m_finished;
    QTimer m_reaper;
};

} // namespace Proxy
