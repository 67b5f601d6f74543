#pragma once

#include "protocol/frames.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace Proxy {

// One published message as the broker keeps it: what the producer sent plus what the broker stamped on it.
// Persistent topics store it with encode(); the encoding is the store's entry payload, versioned so that a
// later format can still read old segments.
struct BrokerMessage
{
    QByteArray payload;
    QList<QPair<QString, QString>> properties;
    std::optional<QString> key;
    QStringList replicationClusters;
    QString producerName;
    qint64 sequenceId = -1;
    qint64 publishTimeMs = 0;
    qint64 eventTimeMs = 0; // 0 = not set, as in Pulsar
    qint64 deliverAtMs = 0; // 0 = deliver immediately
    // Client-side (end-to-end) encryption, spec 3.8: what a consumer needs to decrypt, written into the metadata
    // of every message of an encrypting producer.
    struct Encryption
    {
        QList<Pulsar::EncryptionKeyEntry> keys;
        QByteArray param; // the IV
        QString compressionType = QStringLiteral("NONE");
        int uncompressedSize = 0;
    };
    std::optional<Encryption> encryption;

    QByteArray encode() const;
    // nullopt for bytes that are not a record of a known version (a corrupt entry).
    static std::optional<BrokerMessage> decode(const QByteArray &bytes);
};

} // namespace Proxy
