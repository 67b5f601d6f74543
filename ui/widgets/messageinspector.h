#pragma once

#include "client/receivedmessage.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTreeWidget;
class QTreeWidgetItem;
class QJsonValue;

namespace Gui {

// The detail pane under a message table: one message's payload as text, as a collapsible JSON tree, as a hex dump
// and as base64, its properties and every metadata field the WebSocket API carries, with copy buttons and
// saving the payload to a file. Large payloads are shown in part (the caps below) so a 5 MiB message never
// stalls the window; copy and save always use the whole payload.
class MessageInspector final : public QWidget
{
    Q_OBJECT
public:
    enum Tab
    {
        TextTab,
        JsonTab,
        HexTab,
        Base64Tab,
        MetadataTab,
        PropertiesTab,
    };
    // Laying out long lines is what costs in QPlainTextEdit (a 128 KiB single line takes seconds), so the text
    // view shows at most this much and base64 is broken into 76-character lines.
    static constexpr int MaxTextChars = 64 * 1024;
    static constexpr int MaxHexBytes = 64 * 1024;
    static constexpr int MaxJsonNodes = 20000;

    explicit MessageInspector(QWidget *parent = nullptr);

    // arrivalMs: when the panel received it (0: unknown, the row is left out).
    void setMessage(const Pulsar::ReceivedMessage &message, qint64 arrivalMs = 0);
    void clearMessage();
    bool hasMessage() const { return m_hasMessage; }
    const Pulsar::ReceivedMessage &message() const { return m_message; }

    // Writes the whole payload; false with the reason shown in the status label and returned in *error.
    bool savePayload(const QString &path, QString *error = nullptr);
    // Opens a non-blocking file dialog (QFileDialog::open) and saves to the file chosen.
    void savePayloadAs();
    // What the copy button puts on the clipboard: the payload in the form of the current payload tab (text,
    // indented JSON, hex dump or base64); the raw text for the metadata and properties tabs.
    QString copyText() const;
    void copyPayload();

    // Pure formatters, shared with tests.
    static QString hexDump(const QByteArray &bytes, int maxBytes = MaxHexBytes);
    static QString payloadText(const QByteArray &payload, bool *valid = nullptr);
    // Base64 in lines of 76 characters (MIME's), at most maxChars of it.
    static QString base64Lines(const QByteArray &payload, int maxChars = MaxTextChars);
    // Field name and value rows of the metadata tab, in display order.
    static QList<QPair<QString, QString>> metadataRows(const Pulsar::ReceivedMessage &message, qint64 arrivalMs);

Q_SIGNALS:
    void payloadSaved(const QString &path);
    void saveFailed(const QString &error);

private:
    void fillJson(const QByteArray &payload);
    int addJsonValue(QTreeWidgetItem *parent, const QString &name, const QJsonValue &value, int budget);
    bool writePayload(const QString &path, const QByteArray &payload, QString *error);
    void setStatus(const QString &text, bool error);

    Pulsar::ReceivedMessage m_message;
    qint64 m_arrivalMs = 0;
    bool m_hasMessage = false;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QTreeWidget *m_json = nullptr;
    QPlainTextEdit *m_hex = nullptr;
    QPlainTextEdit *m_base64 = nullptr;
    QTableWidget *m_metadata = nullptr;
    QTableWidget *m_properties = nullptr;
    QPushButton *m_copyPayload = nullptr;
    QPushButton *m_copyId = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace Gui
