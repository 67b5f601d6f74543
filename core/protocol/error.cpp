#include "error.h"

#include <QCoreApplication>

namespace Pulsar {

QString Error::description() const
{
    switch (code) {
    case ErrorCode::None:
        return QString();
    case ErrorCode::InvalidTopicName:
        return QCoreApplication::translate("Pulsar::Error", "Invalid topic name");
    case ErrorCode::InvalidNamespaceName:
        return QCoreApplication::translate("Pulsar::Error", "Invalid namespace name");
    case ErrorCode::InvalidServiceUrl:
        return QCoreApplication::translate("Pulsar::Error", "Invalid service URL");
    case ErrorCode::InvalidPath:
        return QCoreApplication::translate("Pulsar::Error", "Invalid WebSocket path");
    case ErrorCode::EmptySubscription:
        return QCoreApplication::translate("Pulsar::Error", "Empty subscription name");
    case ErrorCode::InvalidQueryParams:
        return QCoreApplication::translate("Pulsar::Error", "Invalid query parameters");
    case ErrorCode::InvalidJson:
        return QCoreApplication::translate("Pulsar::Error", "Malformed JSON frame");
    case ErrorCode::InvalidPayload:
        return QCoreApplication::translate("Pulsar::Error", "Invalid payload encoding");
    case ErrorCode::InvalidBase64:
        return QCoreApplication::translate("Pulsar::Error", "Invalid base64");
    case ErrorCode::InvalidMessageId:
        return QCoreApplication::translate("Pulsar::Error", "Invalid message id");
    case ErrorCode::InvalidTime:
        return QCoreApplication::translate("Pulsar::Error", "Invalid timestamp");
    case ErrorCode::InvalidField:
        return QCoreApplication::translate("Pulsar::Error", "Invalid field value");
    }
    return QString();
}

} // namespace Pulsar
