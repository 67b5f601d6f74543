#pragma once

// Wire-level helpers for the conformance suite. Everything here talks to the target over the network only
// (QWebSocket, QTcpSocket, QNetworkAccessManager), so the same cases run unchanged against pulsar-desk-proxy
// and against real Apache Pulsar.

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace Conformance {

// Pulsar answers within milliseconds when warm, but a cold broker (first lookup of a namespace bundle, first
// ledger of a topic) can take seconds; waits are generous and always end at the first matching signal.
constexpr int kWaitMs = 15000;

// The target, from the environment (see tests/conformance/README.md).
struct Target
{
    QString wsBase;   // ws://127.0.0.1:8080
    QString httpBase; // http://127.0.0.1:8080
    QString name;     // "pulsar-desk-proxy" or "apache-pulsar-4.0.8"
    QString adminToken;
    QString writerToken;
    QString nobodyToken;

    static Target fromEnvironment()
    {
        Target t;
        t.wsBase = qEnvironmentVariable("PDESK_TARGET_WS");
        t.httpBase = qEnvironmentVariable("PDESK_TARGET_HTTP");
        t.name = qEnvironmentVariable("PDESK_TARGET_NAME", QStringLiteral("unnamed"));
        t.adminToken = qEnvironmentVariable("PDESK_TARGET_TOKEN_ADMIN");
        t.writerToken = qEnvironmentVariable("PDESK_TARGET_TOKEN_WRITER");
        t.nobodyToken = qEnvironmentVariable("PDESK_TARGET_TOKEN_NOBODY");
        if (t.httpBase.isEmpty() && t.wsBase.startsWith(QLatin1String("ws")))
            t.httpBase = QStringLiteral("http") + t.wsBase.mid(2);
        return t;
    }
    bool isValid() const { return !wsBase.isEmpty(); }
    bool hasAuth() const { return !adminToken.isEmpty(); }
    bool isProxy() const { return name == QLatin1String("pulsar-desk-proxy"); }
    QString host() const { return QUrl(wsBase).host(); }
    quint16 port() const { return quint16(QUrl(wsBase).port(80)); }
};

// A name no other case or run uses, so runs against a long-lived server never see each other's messages.
inline QString unique(const QString &tag)
{
    return QStringLiteral("conf-") + tag + QLatin1Char('-') +
           QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 36);
}

// A WebSocket session that records every text frame, raw and parsed, and how it ended.
class WsClient
{
public:
    explicit WsClient(const QUrl &url, const QString &bearer = QString())
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket, [this](const QString &text) {
            m_raw.append(text);
            m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        QObject::connect(&m_socket, &QWebSocket::pong, &m_socket,
                         [this](quint64, const QByteArray &payload) { m_pongs.append(payload); });
        QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] {
            m_closed = true;
            m_closeCode = int(m_socket.closeCode());
            m_closeReason = m_socket.closeReason();
        });
        QNetworkRequest request(url);
        if (!bearer.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + bearer.toLatin1());
        m_socket.open(request);
    }

    bool waitConnected(int ms = kWaitMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_socket.state() != QAbstractSocket::ConnectedState && !m_closed && timer.elapsed() < ms)
            QTest::qWait(10);
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }
    // True once the server ended the session (close frame or dropped connection).
    bool waitClosed(int ms = kWaitMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_closed && timer.elapsed() < ms)
            QTest::qWait(10);
        return m_closed;
    }

    void send(const QJsonObject &object)
    {
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }

    QWebSocket &socket() { return m_socket; }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool closed() const { return m_closed; }
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    QString errorString() const { return m_socket.errorString(); }
    const QList<QJsonObject> &frames() const { return m_frames; }
    const QStringList &raw() const { return m_raw; }
    const QList<QByteArray> &pongs() const { return m_pongs; }
    int count() const { return int(m_frames.size()); }
    // Pushed messages only (frames with a messageId and a payload), as opposed to endOfTopic answers.
    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> result;
        for (const auto &f : m_frames) {
            if (f.contains(QLatin1String("messageId")) && f.contains(QLatin1String("payload")))
                result.append(f);
        }
        return result;
    }
    int messageCount() const { return int(messages().size()); }
    void clear()
    {
        m_frames.clear();
        m_raw.clear();
    }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QStringList m_raw;
    QList<QByteArray> m_pongs;
    bool m_closed = false;
    int m_closeCode = -1;
    QString m_closeReason;
};

// The raw HTTP answer to a request, for checking refused handshakes byte by byte (QWebSocket hides both the
// status and the body of a refused upgrade).
struct HttpAnswer
{
    int status = 0;
    QByteArray statusLine;
    QByteArray headers; // raw header block
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        const QList<QByteArray> lines = headers.split('\n');
        for (const QByteArray &line : lines) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        const QList<QByteArray> lines = headers.split('\n');
        for (const QByteArray &line : lines) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return true;
        }
        return false;
    }
};

inline HttpAnswer rawRequest(const QString &host, quint16 port, const QByteArray &requestHead)
{
    QTcpSocket socket;
    QByteArray response;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { response += socket.readAll(); });
    socket.connectToHost(host, port);
    socket.write(requestHead);

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
    while (!complete() && timer.elapsed() < kWaitMs &&
           !(socket.state() == QAbstractSocket::UnconnectedState && timer.elapsed() > 1000))
        QTest::qWait(5);

    HttpAnswer answer;
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

inline HttpAnswer rawHandshake(const Target &target, const QByteArray &pathAndQuery,
                               const QByteArray &extraHeaders = {}, bool upgrade = true)
{
    QByteArray request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + target.host().toLatin1() + ':' +
                         QByteArray::number(target.port()) + "\r\n";
    if (upgrade)
        request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n";
    else
        request += "Connection: close\r\n";
    request += extraHeaders + "\r\n";
    return rawRequest(target.host(), target.port(), request);
}

// An admin REST answer.
struct AdminAnswer
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString error;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QStringList stringList() const
    {
        QStringList list;
        for (const auto v : json().array())
            list.append(v.toString());
        return list;
    }
};

class AdminClient
{
public:
    explicit AdminClient(const Target &target, const QString &token = QString())
        : m_base(target.httpBase)
        , m_token(token)
    {}

    // path is below /admin/v2 and already percent-encoded, e.g. "/persistent/public/default/t/stats".
    AdminAnswer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                     const QByteArray &contentType = "application/json")
    {
        return send(method, QStringLiteral("/admin/v2") + path, body, contentType);
    }
    AdminAnswer get(const QString &path) { return call("GET", path); }
    // Pulsar's v1 resources, for namespaces with a cluster: path is below /admin, e.g.
    // "/persistent/sample/standalone/ns1/t/stats".
    AdminAnswer callV1(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return send(method, QStringLiteral("/admin") + path, body, "application/json");
    }
    AdminAnswer getV1(const QString &path) { return callV1("GET", path); }

private:
    AdminAnswer send(const QByteArray &method, const QString &adminPath, const QByteArray &body,
                     const QByteArray &contentType)
    {
        QNetworkRequest request(QUrl(m_base + adminPath));
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
        if (!body.isEmpty() || method == "PUT" || method == "POST")
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        request.setTransferTimeout(kWaitMs);
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(kWaitMs + 1000);
        AdminAnswer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        for (const auto &pair : reply->rawHeaderPairs())
            answer.headers.insert(pair.first.toLower(), pair.second);
        if (answer.status == 0)
            answer.error = reply->errorString();
        return answer;
    }

    QString m_base;
    QString m_token;
    QNetworkAccessManager m_nam;
};

// A decoded MessageIdData (spec 4), with the field numbers in the order they appeared on the wire.
struct MessageIdBytes
{
    bool ok = false;
    quint64 ledger = 0;
    quint64 entry = 0;
    qint64 partition = -1;
    qint64 batchIndex = -1;
    qint64 batchSize = -1; // -1: field 6 absent
    QList<int> fieldOrder;
};

inline MessageIdBytes decodeMessageId(const QByteArray &bytes)
{
    MessageIdBytes id;
    int pos = 0;
    const auto varint = [&](quint64 *value) {
        *value = 0;
        for (int shift = 0; pos < bytes.size() && shift < 64; shift += 7) {
            const auto b = quint8(bytes[pos++]);
            *value |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    };
    bool haveLedger = false, haveEntry = false;
    while (pos < bytes.size()) {
        quint64 key = 0, value = 0;
        if (!varint(&key) || (key & 7) != 0 || !varint(&value))
            return id;
        const int field = int(key >> 3);
        id.fieldOrder.append(field);
        switch (field) {
        case 1:
            id.ledger = value;
            haveLedger = true;
            break;
        case 2:
            id.entry = value;
            haveEntry = true;
            break;
        case 3:
            id.partition = qint64(qint32(value));
            break;
        case 4:
            id.batchIndex = qint64(qint32(value));
            break;
        case 6:
            id.batchSize = qint64(qint32(value));
            break;
        default:
            break;
        }
    }
    id.ok = haveLedger && haveEntry;
    return id;
}

// The top-level keys of a JSON object text in the order they appear (QJsonObject sorts them).
inline QStringList keysInOrder(const QString &json)
{
    QStringList keys;
    int depth = 0;
    bool expectKey = false;
    for (int i = 0; i < json.size(); ++i) {
        const QChar c = json.at(i);
        if (c == QLatin1Char('"')) {
            int j = i + 1;
            QString text;
            while (j < json.size() && json.at(j) != QLatin1Char('"')) {
                if (json.at(j) == QLatin1Char('\\'))
                    ++j;
                if (j < json.size())
                    text.append(json.at(j));
                ++j;
            }
            if (depth == 1 && expectKey)
                keys.append(text);
            expectKey = false;
            i = j;
        } else if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
            ++depth;
            expectKey = depth == 1 && c == QLatin1Char('{');
        } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
            --depth;
        } else if (c == QLatin1Char(',') && depth == 1) {
            expectKey = true;
        }
    }
    return keys;
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

inline QString idOf(const QJsonObject &frame)
{
    return frame.value(QLatin1String("messageId")).toString();
}

inline QJsonObject ackFrame(const QString &messageId)
{
    QJsonObject o;
    o.insert(QStringLiteral("messageId"), messageId);
    return o;
}

inline QJsonObject typedFrame(const QString &type, const QString &messageId = QString())
{
    QJsonObject o;
    o.insert(QStringLiteral("type"), type);
    if (!messageId.isEmpty())
        o.insert(QStringLiteral("messageId"), messageId);
    return o;
}

inline QJsonObject permitFrame(int n)
{
    QJsonObject o;
    o.insert(QStringLiteral("type"), QStringLiteral("permit"));
    o.insert(QStringLiteral("permitMessages"), n);
    return o;
}

} // namespace Conformance
