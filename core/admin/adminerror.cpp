#include "adminerror.h"

#include <QCoreApplication>

namespace Pulsar {

namespace {

QString httpDescription(int status)
{
    switch (status) {
    case 400:
        return QCoreApplication::translate("Pulsar::AdminError", "The request was not understood");
    case 401:
        return QCoreApplication::translate("Pulsar::AdminError", "Authentication failed");
    case 403:
        return QCoreApplication::translate("Pulsar::AdminError", "Not authorized for this operation");
    case 404:
        return QCoreApplication::translate("Pulsar::AdminError", "Not found");
    case 405:
        return QCoreApplication::translate("Pulsar::AdminError", "Operation not allowed here");
    case 406:
        return QCoreApplication::translate("Pulsar::AdminError", "Invalid value");
    case 409:
        return QCoreApplication::translate("Pulsar::AdminError", "Already exists or in conflict");
    case 412:
        return QCoreApplication::translate("Pulsar::AdminError", "Precondition failed");
    case 500:
        return QCoreApplication::translate("Pulsar::AdminError", "Internal server error");
    case 503:
        return QCoreApplication::translate("Pulsar::AdminError", "Service unavailable");
    default:
        return QCoreApplication::translate("Pulsar::AdminError", "The server refused the request (HTTP %1)")
            .arg(status);
    }
}

} // namespace

QString AdminError::description() const
{
    switch (code) {
    case None:
        return QString();
    case Http:
        return httpDescription(httpStatus);
    case Network:
        return QCoreApplication::translate("Pulsar::AdminError", "Could not reach the admin service");
    case Tls:
        return QCoreApplication::translate("Pulsar::AdminError", "Secure connection failed");
    case Timeout:
        return QCoreApplication::translate("Pulsar::AdminError", "The admin service did not answer in time");
    case Cancelled:
        return QCoreApplication::translate("Pulsar::AdminError", "Cancelled");
    case Redirect:
        return QCoreApplication::translate("Pulsar::AdminError", "Redirect not followed");
    case MalformedResponse:
        return QCoreApplication::translate("Pulsar::AdminError", "Unexpected answer from the admin service");
    case Configuration:
        return QCoreApplication::translate("Pulsar::AdminError", "Invalid connection settings");
    }
    return QString();
}

QString AdminError::message() const
{
    if (reason.isEmpty())
        return description();
    return description() + QStringLiteral(": ") + reason;
}

} // namespace Pulsar
