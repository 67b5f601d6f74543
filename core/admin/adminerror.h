#pragma once

#include <QMetaType>
#include <QString>

namespace Pulsar {

// Why an admin call failed: a kind to switch on, the HTTP status when the server answered, and the detail (Pulsar's
// {"reason": ...} text, or the network/TLS/parse problem). description() is the translated sentence for people.
struct AdminError
{
    enum Code
    {
        None,
        Http,              // the server answered with a status >= 400; httpStatus and reason say what
        Network,           // no answer: connection refused, host not found, connection closed
        Tls,               // TLS handshake failed (certificate not trusted, client certificate refused...)
        Timeout,           // no byte moved for AdminConnection::timeoutMs
        Cancelled,         // AdminCall::cancel()
        Redirect,          // too many redirects, or one from https to http
        MalformedResponse, // a success status with a body or header that is not what Pulsar sends
        Configuration,     // unusable settings (unreadable CA file, certificate without key...)
    };

    Code code = None;
    int httpStatus = 0; // 0 when no HTTP answer was read
    QString reason;     // the server's reason or the technical detail; untranslated

    bool isError() const { return code != None; }
    // A short translated sentence naming the problem, chosen by code and status (for titles and status bars).
    QString description() const;
    // description() plus the reason, for a one-line message.
    QString message() const;

    friend bool operator==(const AdminError &a, const AdminError &b)
    {
        return a.code == b.code && a.httpStatus == b.httpStatus && a.reason == b.reason;
    }
    friend bool operator!=(const AdminError &a, const AdminError &b) { return !(a == b); }
};

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::AdminError)
