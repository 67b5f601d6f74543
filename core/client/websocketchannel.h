#pragma once

#include "clienterror.h"
#include "connectionprofile.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace Pulsar {

class HandshakeProbe;

// Connection policies shared by every session. Each cap says what happens when it is hit.
struct ChannelPolicy
{
    // Keep-alive: a Ping every pingIntervalMs (Pulsar's idle timeout is 300 s; the spec asks for <= 60 s).
    // After a Ping, deadPeerTimeoutMs without any frame or Pong counts as a dropped connection. <= 0: off.
    int pingIntervalMs = 30000;
    int deadPeerTimeoutMs = 10000;
    // TCP + TLS + upgrade. Pulsar retries broker conditions for up to its 30 s operation timeout before it
    // answers a handshake, so anything shorter would cut valid answers.
    int connectTimeoutMs = 40000;
    // Reconnect after an established connection drops: delay = min(cap, initial * multiplier^(k-1)), then
    // reduced by a random fraction of up to `jitter` so that many clients do not return in step.
    bool reconnect = true;
    int initialReconnectDelayMs = 250;
    int maxReconnectDelayMs = 30000;
    double backoffMultiplier = 2.0;
    double jitter = 0.3;
    int maxReconnectAttempts = -1; // per outage; -1 = unlimited; when exceeded the channel fails
    // Also retry when the very first connection fails. Off: the first failure is reported at once (Failed), since
    // a user who just typed a URL wants to know.
    bool retryInitialConnect = false;
    // Incoming bounds (performance notes trap 1, 2): the read buffer stays unlimited, the frame and message
    // sizes are capped. Pulsar's messages are up to 5 MiB, i.e. ~6.7 MiB as base64 in JSON. Above the cap Qt
    // closes the connection with 1009, which is then handled like any other drop.
    quint64 maxIncomingFrameBytes = 8 * 1024 * 1024;
    quint64 maxIncomingMessageBytes = 8 * 1024 * 1024;
    // Outgoing high-water mark (trap 3): above it isWritable() is false and sessions stop writing until
    // writable() is emitted, once the socket buffer has drained below half the mark.
    qint64 outgoingHighWaterBytes = 1024 * 1024;
    // Frames are written to the socket as soon as this many bytes are queued, not only when the event loop next
    // polls the socket for writing: that poll comes after every pending read, so a burst of sends or acks waited
    // while the server, its window full, waited for them. Measured against one proxy (100 B, 1000 in flight):
    // produce 251-255k msg/s unflushed, 396-407k at 2 KiB, 438-460k at 4 KiB, 447-449k at 8 KiB; consume with an
    // ack per message 142-145k, 223-225k, 223-226k, 183-188k. <= 0: leave it all to the event loop.
    qint64 writeBatchBytes = 4096;
    // Run a diagnostic handshake when QWebSocket reports a refused upgrade, to learn Pulsar's status and message.
    bool diagnoseHandshakeFailures = true;
};

enum class ChannelState
{
    Idle,         // never opened
    Connecting,   // first connection attempt (attempt 1)
    Connected,    // upgraded; frames flow
    Reconnecting, // waiting reconnectDelayMs before attempt `attempt`, then connecting again
    Closed,       // closed by the caller
    Failed,       // gave up: `error` says why
};

// Where a channel is, as one value: the state plus, while reconnecting, the coming attempt and its delay, and
// the error that caused it (also kept in Failed).
struct ChannelStatus
{
    ChannelState state = ChannelState::Idle;
    int attempt = 0;          // Reconnecting: the number of the coming attempt (1, 2, ...)
    int reconnectDelayMs = 0; // Reconnecting: the delay before it
    ClientError error;        // Reconnecting / Failed: why
};

// One WebSocket connection with the policies every session shares: the profile's authentication and TLS,
// keep-alive pings and dead-peer detection, reconnect with exponential backoff and jitter, incoming size caps
// and an outgoing high-water mark. Handshake refusals carry Pulsar's HTTP status and message.
//
// Every close the server initiates is abnormal: Pulsar's "status 3" closes reach Qt as 1000 (spec 5.2), so the
// close code cannot tell a deliberate close from an error. Only close() ends a channel normally.
class WebSocketChannel final : public QObject
{
    Q_OBJECT
public:
    explicit WebSocketChannel(const ConnectionProfile &profile, const ChannelPolicy &policy = ChannelPolicy(),
                              QObject *parent = nullptr);
    ~WebSocketChannel() override;

    // Connects to url (built with endpointUrl(); the profile adds the token). Validates the profile first: an
    // invalid one fails at once (Failed, InvalidConfiguration), reported through statusChanged.
    void open(const QUrl &url);
    // The URL the next reconnect uses (a reader resumes after the last message it delivered).
    void setUrl(const QUrl &url) { m_url = url; }
    QUrl url() const { return m_url; }
    // Sends a Close frame and stops reconnecting. Idempotent.
    void close();
    // Drops the connection and reports Failed with `error` (a session found its options invalid, say).
    void abortWith(const ClientError &error) { fail(error); }

    const ChannelStatus &status() const { return m_status; }
    ChannelState state() const { return m_status.state; }
    bool isConnected() const { return m_status.state == ChannelState::Connected; }
    const ConnectionProfile &profile() const { return m_profile; }
    const ChannelPolicy &policy() const { return m_policy; }
    // Established connections so far (1 after the first connect, 2 after the first reconnect...).
    int connectionCount() const { return m_connections; }

    // Queues one text frame. False when not connected (nothing queued). Sending above the high-water mark is
    // allowed (the caller decides); isWritable() tells whether it should.
    bool sendText(const QByteArray &utf8);
    // The same for a frame already built as a QString (what QWebSocket takes): no UTF-8 round trip.
    bool sendTextString(const QString &text);
    bool isWritable() const;
    qint64 bytesToWrite() const;

    // The redacted URL, for logs and errors.
    QString displayUrl() const;

Q_SIGNALS:
    void statusChanged(const Pulsar::ChannelStatus &status);
    // Every time a connection is established (first connect and each reconnect).
    void connected();
    // Every time an established connection ends other than through close(); a reconnect may follow.
    void disconnected(const Pulsar::ClientError &reason);
    void textReceived(const QString &text);
    // The outgoing buffer drained below half the high-water mark after isWritable() had been false.
    void writable();

private:
    void startAttempt();
    void onConnected();
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onSocketDisconnected();
    void attemptFailed(const ClientError &error);
    void connectionDropped(const ClientError &error);
    void scheduleReconnect(const ClientError &error);
    void fail(const ClientError &error);
    void setStatus(ChannelState state, const ClientError &error = ClientError(), int attempt = 0, int delayMs = 0);
    void discardSocket(bool graceful);
    void onPingTick();
    void onActivity();
    bool isRetriable(const ClientError &error) const;

    ConnectionProfile m_profile;
    ChannelPolicy m_policy;
    QUrl m_url;
    ChannelStatus m_status;
    QWebSocket *m_socket = nullptr;
    QPointer<HandshakeProbe> m_probe;
    QTimer m_connectTimer;
    QTimer m_reconnectTimer;
    QTimer m_pingTimer;
    QTimer m_deadPeerTimer;
    int m_connections = 0;
    int m_failedAttempts = 0; // consecutive, in the current outage
    bool m_aboveHighWater = false;
    QString m_sslErrors;
    ClientError m_dropReason; // set before we abort a connection ourselves (dead peer)
};

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::ChannelStatus)
