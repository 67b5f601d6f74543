#include "handshakeprobe.h"

#include "protocol/wirestatus.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSslSocket>

namespace Pulsar {

namespace {

// Decodes a chunked body; returns false while it is incomplete.
bool dechunk(const QByteArray &raw, QByteArray *out)
{
    out->clear();
    qsizetype pos = 0;
    for (;;) {
        const qsizetype lineEnd = raw.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qint64 size = raw.mid(pos, lineEnd - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return true; // malformed: keep what we have
        if (size == 0)
            return true;
        if (raw.size() < lineEnd + 2 + size + 2)
            return false;
        out->append(raw.mid(lineEnd + 2, size));
        pos = lineEnd + 2 + size + 2;
    }
}

} // namespace

HandshakeProbe::HandshakeProbe(const QUrl &url, const QByteArray &authorization, const QSslConfiguration &tls,
                               bool allowInsecureTls, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_authorization(authorization)
    , m_tls(tls)
    , m_allowInsecureTls(allowInsecureTls)
{
    const QString scheme = url.scheme().toLower();
    m_secure = scheme == QLatin1String("wss") || scheme == QLatin1String("https");
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        Outcome outcome;
        outcome.error = ClientError::make(
            ClientErrorCode::Timeout,
            QCoreApplication::translate("Pulsar::HandshakeProbe", "no answer to the upgrade request"));
        finish(outcome);
    });
}

HandshakeProbe::~HandshakeProbe()
{
    if (m_socket)
        m_socket->abort();
}

void HandshakeProbe::start()
{
    m_socket = new QSslSocket(this);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HandshakeProbe::onSocketError);
    connect(m_socket, &QIODevice::readyRead, this, &HandshakeProbe::readAnswer);
    m_timeout.start();
    const quint16 port = quint16(m_url.port(m_secure ? 443 : 80));
    if (m_secure) {
        m_socket->setSslConfiguration(m_tls);
        connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &e : errors)
                texts.append(e.errorString());
            m_sslErrors = texts.join(QLatin1String("; "));
            if (m_allowInsecureTls)
                m_socket->ignoreSslErrors();
        });
        connect(m_socket, &QSslSocket::encrypted, this, &HandshakeProbe::sendRequest);
        m_socket->connectToHostEncrypted(m_url.host(), port);
    } else {
        connect(m_socket, &QAbstractSocket::connected, this, &HandshakeProbe::sendRequest);
        m_socket->connectToHost(m_url.host(), port);
    }
}

void HandshakeProbe::sendRequest()
{
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = char(QRandomGenerator::global()->bounded(256));
    QByteArray target = m_url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (m_url.hasQuery())
        target += '?' + m_url.query(QUrl::FullyEncoded).toLatin1();
    const int defaultPort = m_secure ? 443 : 80;
    QByteArray host = m_url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (m_url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(m_url.port());
    QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key.toBase64() +
                         "\r\nSec-WebSocket-Version: 13\r\n";
    if (!m_authorization.isEmpty())
        request += "Authorization: " + m_authorization + "\r\n";
    request += "\r\n";
    m_socket->write(request);
}

void HandshakeProbe::readAnswer()
{
    m_buffer += m_socket->read(kMaxHeadBytes + kMaxBodyBytes - m_buffer.size());
    tryFinishFromBuffer(false);
}

bool HandshakeProbe::tryFinishFromBuffer(bool connectionClosed)
{
    if (m_done)
        return true;
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (m_buffer.size() >= kMaxHeadBytes || connectionClosed) {
            Outcome outcome;
            outcome.error = ClientError::make(
                ClientErrorCode::ProtocolError,
                QCoreApplication::translate("Pulsar::HandshakeProbe", "no valid HTTP answer to the upgrade request"));
            finish(outcome);
            return true;
        }
        return false;
    }
    const QByteArray head = m_buffer.left(headEnd);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusParts = lines.first().trimmed().split(' ');
    const int status = statusParts.size() >= 2 ? statusParts.at(1).toInt() : 0;
    QByteArray reason;
    if (statusParts.size() >= 3)
        reason = lines.first().trimmed().mid(statusParts.at(0).size() + statusParts.at(1).size() + 2);
    if (status == 101) {
        // Accepted after all (the refusal was transient): a session now exists on the server, so leave at once.
        m_socket->abort();
        Outcome outcome;
        outcome.kind = Outcome::Kind::Upgraded;
        outcome.status = 101;
        finish(outcome);
        return true;
    }
    qint64 contentLength = -1;
    bool chunked = false;
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }
    const QByteArray raw = m_buffer.mid(headEnd + 4);
    QByteArray body;
    bool complete = false;
    if (chunked) {
        complete = dechunk(raw, &body) || connectionClosed;
    } else if (contentLength >= 0) {
        body = raw.left(contentLength);
        complete = raw.size() >= contentLength || connectionClosed;
    } else {
        body = raw;
        complete = connectionClosed;
    }
    if (!complete && m_buffer.size() < kMaxHeadBytes + kMaxBodyBytes)
        return false;
    m_socket->abort();
    Outcome outcome;
    outcome.kind = Outcome::Kind::HttpStatus;
    outcome.status = status;
    outcome.message = extractHandshakeMessage(body);
    if (outcome.message.isEmpty())
        outcome.message = QString::fromLatin1(reason);
    finish(outcome);
    return true;
}

void HandshakeProbe::onSocketError()
{
    if (m_done)
        return;
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError && !m_buffer.isEmpty()) {
        m_buffer += m_socket->readAll();
        if (tryFinishFromBuffer(true))
            return;
    }
    Outcome outcome;
    QString detail = m_socket->errorString();
    if (!m_sslErrors.isEmpty())
        detail += QLatin1String(": ") + m_sslErrors;
    outcome.error = ClientError::make(clientErrorCodeFor(m_socket->error()), detail);
    finish(outcome);
}

void HandshakeProbe::finish(const Outcome &outcome)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    if (m_socket)
        m_socket->disconnect(this);
    Q_EMIT finished(outcome);
}

} // namespace Pulsar
