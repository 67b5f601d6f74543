#include "messageinspector.h"

#include "protocol/timeformat.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Gui {

namespace {

QPlainTextEdit *makeTextView(const QString &name, bool monospace, QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setUndoRedoEnabled(false);
    if (monospace) {
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    return view;
}

QTableWidget *makeTable(const QString &name, const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

void fillTable(QTableWidget *table, const QList<QPair<QString, QString>> &rows)
{
    table->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
}

QString timeWithLocal(const QString &pulsarTime)
{
    const Pulsar::Result<qint64> ms = Pulsar::parsePulsarTime(pulsarTime);
    if (!ms)
        return pulsarTime;
    return MessageInspector::tr("%1 (local %2)")
        .arg(pulsarTime, QDateTime::fromMSecsSinceEpoch(*ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
}

QString propertiesLine(const Pulsar::Properties &properties)
{
    QStringList parts;
    for (const auto &p : properties)
        parts.append(p.first % QLatin1Char('=') % p.second);
    return parts.join(QStringLiteral(", "));
}

} // namespace

MessageInspector::MessageInspector(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("messageInspector"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_text = makeTextView(QStringLiteral("payloadTextView"), false, m_tabs);
    m_json = new QTreeWidget(m_tabs);
    m_json->setObjectName(QStringLiteral("payloadJsonView"));
    m_json->setHeaderLabels({tr("Name"), tr("Value"), tr("Type")});
    m_json->setUniformRowHeights(true);
    m_hex = makeTextView(QStringLiteral("payloadHexView"), true, m_tabs);
    m_base64 = makeTextView(QStringLiteral("payloadBase64View"), true, m_tabs);
    m_base64->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_metadata = makeTable(QStringLiteral("metadataView"), {tr("Field"), tr("Value")}, m_tabs);
    m_properties = makeTable(QStringLiteral("propertiesView"), {tr("Name"), tr("Value")}, m_tabs);
    m_tabs->insertTab(TextTab, m_text, tr("Text"));
    m_tabs->insertTab(JsonTab, m_json, tr("JSON"));
    m_tabs->insertTab(HexTab, m_hex, tr("Hex"));
    m_tabs->insertTab(Base64Tab, m_base64, tr("Base64"));
    m_tabs->insertTab(MetadataTab, m_metadata, tr("Metadata"));
    m_tabs->insertTab(PropertiesTab, m_properties, tr("Properties"));
    layout->addWidget(m_tabs, 1);

    auto *buttons = new QHBoxLayout;
    m_copyPayload = new QPushButton(tr("Copy"), this);
    m_copyPayload->setObjectName(QStringLiteral("copyPayloadButton"));
    m_copyPayload->setToolTip(tr("Copy what the current tab shows (the whole payload, in that form)"));
    m_copyId = new QPushButton(tr("Copy message id"), this);
    m_copyId->setObjectName(QStringLiteral("copyMessageIdButton"));
    m_copyId->setToolTip(tr("Copy the message id in base64, as Pulsar's API takes it"));
    m_save = new QPushButton(tr("Save payload…"), this);
    m_save->setObjectName(QStringLiteral("savePayloadButton"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("inspectorStatusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    buttons->addWidget(m_copyPayload);
    buttons->addWidget(m_copyId);
    buttons->addWidget(m_save);
    buttons->addWidget(m_status, 1);
    layout->addLayout(buttons);

    connect(m_copyPayload, &QPushButton::clicked, this, &MessageInspector::copyPayload);
    connect(m_copyId, &QPushButton::clicked, this, [this] {
        if (m_hasMessage)
            QApplication::clipboard()->setText(m_message.message.messageId);
    });
    connect(m_save, &QPushButton::clicked, this, &MessageInspector::savePayloadAs);
    clearMessage();
}

void MessageInspector::clearMessage()
{
    m_hasMessage = false;
    m_message = Pulsar::ReceivedMessage();
    m_text->setPlainText(QString());
    m_hex->setPlainText(QString());
    m_base64->setPlainText(QString());
    m_json->clear();
    m_metadata->setRowCount(0);
    m_properties->setRowCount(0);
    m_status->setText(tr("Select a message to inspect it."));
    m_copyPayload->setEnabled(false);
    m_copyId->setEnabled(false);
    m_save->setEnabled(false);
}

void MessageInspector::setMessage(const Pulsar::ReceivedMessage &message, qint64 arrivalMs)
{
    m_message = message;
    m_arrivalMs = arrivalMs;
    m_hasMessage = true;
    const QByteArray &payload = message.message.payload;

    bool valid = true;
    QString text = payloadText(payload, &valid);
    if (text.size() > MaxTextChars)
        text = text.left(MaxTextChars) % QLatin1Char('\n') %
               tr("[%1 more characters not shown; copy or save to get them all]").arg(text.size() - MaxTextChars);
    m_text->setPlainText(text);
    m_hex->setPlainText(hexDump(payload));
    m_base64->setPlainText(base64Lines(payload, MaxTextChars));
    fillJson(payload);
    fillTable(m_metadata, metadataRows(message, arrivalMs));
    fillTable(m_properties, message.message.properties);

    m_copyPayload->setEnabled(true);
    m_copyId->setEnabled(true);
    m_save->setEnabled(true);
    setStatus(valid ? tr("%n byte(s)", nullptr, int(payload.size()))
                    : tr("%n byte(s), not valid UTF-8: see the hex tab", nullptr, int(payload.size())),
              false);
}

QString MessageInspector::payloadText(const QByteArray &payload, bool *valid)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(payload);
    if (valid)
        *valid = !decoder.hasError();
    return text;
}

QString MessageInspector::base64Lines(const QByteArray &payload, int maxChars)
{
    const QByteArray base64 = payload.toBase64();
    const qsizetype shown = std::min<qsizetype>(base64.size(), maxChars);
    QString out;
    out.reserve(shown + shown / 76 + 80);
    for (qsizetype i = 0; i < shown; i += 76) {
        out += QLatin1String(base64.constData() + i, std::min<qsizetype>(76, shown - i));
        out += QLatin1Char('\n');
    }
    if (base64.size() > shown)
        out += tr("[%1 more characters not shown; copy or save to get them all]").arg(base64.size() - shown);
    return out;
}

QString MessageInspector::hexDump(const QByteArray &bytes, int maxBytes)
{
    // "00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 02 03  |Hello world.....|", like hexdump -C.
    const int shown = int(std::min<qsizetype>(bytes.size(), maxBytes));
    QString out;
    out.reserve((shown / 16 + 2) * 80);
    static const char digits[] = "0123456789abcdef";
    for (int offset = 0; offset < shown; offset += 16) {
        out += QStringLiteral("%1  ").arg(offset, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (int i = 0; i < 16; ++i) {
            if (offset + i < shown) {
                const uchar c = uchar(bytes[offset + i]);
                out += QLatin1Char(digits[c >> 4]);
                out += QLatin1Char(digits[c & 0xf]);
                out += QLatin1Char(' ');
                ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(char(c)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1String(" |") % ascii % QLatin1String("|\n");
    }
    if (bytes.size() > shown)
        out += tr("[%1 more bytes not shown; copy or save to get them all]").arg(bytes.size() - shown);
    return out;
}

QList<QPair<QString, QString>> MessageInspector::metadataRows(const Pulsar::ReceivedMessage &message, qint64 arrivalMs)
{
    const Pulsar::ConsumerMessage &m = message.message;
    const Pulsar::MessageId &id = message.id;
    QList<QPair<QString, QString>> rows;
    rows.append({tr("Message id (base64)"), m.messageId});
    rows.append(
        {tr("Message id (ledger:entry:partition:batch)"), id.ledgerId >= 0 ? id.toString() : tr("(not decodable)")});
    if (id.ledgerId >= 0) {
        rows.append({tr("Ledger"), QString::number(id.ledgerId)});
        rows.append({tr("Entry"), QString::number(id.entryId)});
        rows.append({tr("Partition"), QString::number(id.partition)});
        rows.append({tr("Batch index"), QString::number(id.batchIndex)});
        if (id.batchSize > 0)
            rows.append({tr("Batch size"), QString::number(id.batchSize)});
        if (id.firstChunk)
            rows.append({tr("First chunk id"), id.firstChunk->toString()});
    }
    rows.append({tr("Publish time"), timeWithLocal(m.publishTime)});
    rows.append({tr("Event time"), m.eventTime ? timeWithLocal(*m.eventTime) : tr("(none)")});
    if (arrivalMs > 0)
        rows.append({tr("Received"),
                     QDateTime::fromMSecsSinceEpoch(arrivalMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))});
    rows.append({tr("Key"), m.key ? *m.key : tr("(none)")});
    // Pulsar's WebSocket ConsumerMessage has no orderingKey field: say so rather than leave the user guessing.
    rows.append({tr("Ordering key"), tr("(not carried by Pulsar's WebSocket API)")});
    rows.append({tr("Redelivery count"), QString::number(m.redeliveryCount)});
    rows.append({tr("Redelivered"), message.redelivered ? tr("yes") : tr("no")});
    rows.append({tr("Payload size"), tr("%n byte(s)", nullptr, int(m.payload.size()))});
    rows.append({tr("Properties"), QString::number(m.properties.size())});
    if (!m.encryptionContext) {
        rows.append({tr("Encryption context"), tr("(none)")});
    } else {
        const Pulsar::EncryptionContext &e = *m.encryptionContext;
        rows.append({tr("Encryption algorithm"), e.algorithm.value_or(tr("(not given)"))});
        rows.append({tr("Encryption param (IV, base64)"), QString::fromLatin1(e.param.toBase64())});
        rows.append({tr("Compression type"), e.compressionType.value_or(tr("(not given)"))});
        rows.append({tr("Uncompressed size"), QString::number(e.uncompressedMessageSize)});
        rows.append({tr("Batch size"), e.batchSize ? QString::number(*e.batchSize) : tr("(none)")});
        if (e.encrypted)
            rows.append({tr("Encrypted"), *e.encrypted ? tr("yes") : tr("no")});
        for (const Pulsar::EncryptionKeyEntry &key : e.keys) {
            rows.append({tr("Encryption key %1").arg(key.name), QString::fromLatin1(key.keyValue.toBase64())});
            if (!key.metadata.isEmpty())
                rows.append({tr("Key %1 metadata").arg(key.name), propertiesLine(key.metadata)});
        }
    }
    return rows;
}

void MessageInspector::fillJson(const QByteArray &payload)
{
    m_json->clear();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (document.isNull()) {
        auto *item = new QTreeWidgetItem(m_json);
        item->setText(0, tr("Not JSON"));
        item->setText(1, payload.isEmpty() ? tr("empty payload")
                                           : tr("%1 at offset %2").arg(error.errorString()).arg(error.offset));
        m_tabs->setTabEnabled(JsonTab, false);
        return;
    }
    m_tabs->setTabEnabled(JsonTab, true);
    const QJsonValue root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    const int used = addJsonValue(m_json->invisibleRootItem(), QString(), root, MaxJsonNodes);
    if (used >= MaxJsonNodes) {
        auto *item = new QTreeWidgetItem(m_json);
        item->setText(0, tr("[more than %1 values: the rest is in the text tab]").arg(MaxJsonNodes));
    }
    m_json->expandToDepth(0);
}

int MessageInspector::addJsonValue(QTreeWidgetItem *parent, const QString &name, const QJsonValue &value, int budget)
{
    if (budget <= 0)
        return 0;
    auto *item = new QTreeWidgetItem(parent);
    item->setText(0, name.isEmpty() && parent == m_json->invisibleRootItem() ? tr("(root)") : name);
    int used = 1;
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        item->setText(1, tr("{%n member(s)}", nullptr, int(object.size())));
        item->setText(2, tr("object"));
        for (auto it = object.begin(); it != object.end() && used < budget; ++it)
            used += addJsonValue(item, it.key(), it.value(), budget - used);
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        item->setText(1, tr("[%n item(s)]", nullptr, int(array.size())));
        item->setText(2, tr("array"));
        for (int i = 0; i < array.size() && used < budget; ++i)
            used += addJsonValue(item, QStringLiteral("[%1]").arg(i), array.at(i), budget - used);
        break;
    }
    case QJsonValue::String:
        item->setText(1, value.toString());
        item->setText(2, tr("string"));
        break;
    case QJsonValue::Double:
        item->setText(
            1, QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
        item->setText(2, tr("number"));
        break;
    case QJsonValue::Bool:
        item->setText(1, value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        item->setText(2, tr("boolean"));
        break;
    case QJsonValue::Null:
        item->setText(1, QStringLiteral("null"));
        item->setText(2, tr("null"));
        break;
    case QJsonValue::Undefined:
        break;
    }
    return used;
}

QString MessageInspector::copyText() const
{
    if (!m_hasMessage)
        return QString();
    const QByteArray &payload = m_message.message.payload;
    switch (m_tabs->currentIndex()) {
    case JsonTab: {
        const QJsonDocument document = QJsonDocument::fromJson(payload);
        if (!document.isNull())
            return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
        return payloadText(payload);
    }
    case HexTab:
        return hexDump(payload, int(std::min<qsizetype>(payload.size(), std::numeric_limits<int>::max())));
    case Base64Tab:
        return QString::fromLatin1(payload.toBase64());
    case MetadataTab: {
        QString out;
        for (const auto &row : metadataRows(m_message, m_arrivalMs))
            out += row.first % QLatin1String(": ") % row.second % QLatin1Char('\n');
        return out;
    }
    case PropertiesTab: {
        QString out;
        for (const auto &p : m_message.message.properties)
            out += p.first % QLatin1Char('=') % p.second % QLatin1Char('\n');
        return out;
    }
    default:
        return payloadText(payload);
    }
}

void MessageInspector::copyPayload()
{
    if (!m_hasMessage)
        return;
    QApplication::clipboard()->setText(copyText());
    setStatus(tr("Copied."), false);
}

bool MessageInspector::savePayload(const QString &path, QString *error)
{
    if (!m_hasMessage) {
        if (error)
            *error = tr("No message selected.");
        return false;
    }
    return writePayload(path, m_message.message.payload, error);
}

bool MessageInspector::writePayload(const QString &path, const QByteArray &payload, QString *error)
{
    // QSaveFile: a failed write never leaves a half-written file in place of an older one.
    QSaveFile file(path);
    QString failure;
    if (!file.open(QIODevice::WriteOnly))
        failure = file.errorString();
    else if (file.write(payload) != payload.size())
        failure = file.errorString();
    else if (!file.commit())
        failure = file.errorString();
    if (!failure.isEmpty()) {
        const QString text = tr("Could not save to %1: %2").arg(path, failure);
        setStatus(text, true);
        if (error)
            *error = text;
        Q_EMIT saveFailed(text);
        return false;
    }
    setStatus(tr("Saved %n byte(s) to %1.", nullptr, int(payload.size())).arg(path), false);
    Q_EMIT payloadSaved(path);
    return true;
}

void MessageInspector::savePayloadAs()
{
    if (!m_hasMessage)
        return;
    auto *dialog = new QFileDialog(this, tr("Save payload"));
    dialog->setObjectName(QStringLiteral("savePayloadDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The selection may change while the dialog is open: save the payload shown when the user asked.
    const QByteArray payload = m_message.message.payload;
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, payload](const QString &path) { writePayload(path, payload, nullptr); });
    dialog->open();
}

void MessageInspector::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace Gui
