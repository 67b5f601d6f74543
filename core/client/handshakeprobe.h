#pragma once

#include "clienterror.h"

#include <QByteArray>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

class QSslSocket;

namespace Pulsar {

// A one-shot WebSocket upgrade request over a raw QSslSocket (plain TCP for ws://) that reads the HTTP answer
// QWebSocket throws away: the status line and the body, from which extractHandshakeMessage() takes Pulsar's
// message. WebSocketChannel runs it after QWebSocket reports a refused handshake (see websocketchannel.cpp for
// why). It sends the same URL, the same Authorization header and uses the same TLS settings as the real attempt,
// and drops the connection the moment it sees "101 Switching Protocols", so an unexpected success leaves no
// session behind for longer than one round trip. Internal to the client library.
class HandshakeProbe final : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        enum class Kind
        {
            HttpStatus,  // the server answered with status (!= 101) and message
            Upgraded,    // the server accepted this time; the probe closed at once
            SocketError, // TCP, DNS or TLS failed: error holds the classified failure
        };
        Kind kind = Kind::SocketError;
        int status = 0;
        QString message; // Pulsar's message from the body; the reason phrase when the body has none
        ClientError error;
    };

    // url: the final URL (token query item included when the profile sends it so). authorization: the header
    // value or empty. tls: used for wss:// only.
    HandshakeProbe(const QUrl &url, const QByteArray &authorization, const QSslConfiguration &tls,
                   bool allowInsecureTls, int timeoutMs, QObject *parent = nullptr);
    ~HandshakeProbe() override;

    void start();

    // Caps on what is read: a refused handshake's page is a few hundred bytes; anything past these is cut.
    static constexpr int kMaxHeadBytes = 16 * 1024;
    static constexpr int kMaxBodyBytes = 64 * 1024;

Q_SIGNALS:
    void finished(const Pulsar::HandshakeProbe::Outcome &outcome);

private:
    void sendRequest();
    void readAnswer();
    void onSocketError();
    bool tryFinishFromBuffer(bool connectionClosed);
    void finish(const Outcome &outcome);

    QUrl m_url;
    QByteArray m_authorization;
    QSslConfiguration m_tls;
    bool m_allowInsecureTls = false;
    bool m_secure = false;
    bool m_done = false;
    QSslSocket *m_socket = nullptr;
    QTimer m_timeout;
    QByteArray m_buffer;
    QString m_sslErrors;
};

} // namespace Pulsar
