#pragma once

// PayloadCodec: turns the producer composer's text into the bytes of a message for each payload mode (Text, JSON,
// Hex, Base64, File). Pure functions, no widgets, so every mode and every error text is tested without a window.

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace Gui {

enum class PayloadMode
{
    Text,
    Json,
    Hex,
    Base64,
    File
};

// Why a payload could not be encoded; `text` is translated and shown inline under the editor.
struct PayloadError
{
    QString text;
    // Offset (UTF-16, 0-based) in the input: the offending character for hex and base64, where the parser stopped
    // for JSON (at or just past the culprit); -1 when not applicable.
    qsizetype position = -1;
};

struct PayloadResult
{
    QByteArray bytes;
    PayloadError error;
    bool ok() const { return error.text.isEmpty(); }
};

class PayloadCodec final
{
    Q_DECLARE_TR_FUNCTIONS(Gui::PayloadCodec)

public:
    // Pulsar's default maximum message size (5 MiB).
    static constexpr qint64 DefaultMaxFileSize = 5 * 1024 * 1024;

    static PayloadResult encodeText(const QString &text);
    static PayloadResult encodeJson(const QString &text);
    static PayloadResult encodeHex(const QString &text);
    static PayloadResult encodeBase64(const QString &text);
    // Reads the file the user picked; refuses files larger than maxSize with a clear error.
    static PayloadResult readFile(const QString &path, qint64 maxSize = DefaultMaxFileSize);
    // Encodes `text` in one of the text modes (File mode is handled by readFile).
    static PayloadResult encode(PayloadMode mode, const QString &text);
    // Re-indents valid JSON (4 spaces), keeping every token, key order and number as written; invalid JSON gives
    // the same error as encodeJson.
    static PayloadResult prettyPrintJson(const QString &text);
};

} // namespace Gui
