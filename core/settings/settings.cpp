#include "settings.h"

#include <QSettings>

#include <array>

namespace Pulsar {

namespace {

struct Entry
{
    Settings::Key key;
    const char *path;
    QVariant defaultValue;
};

// The one table: every key, where it lives in the file and its default. The order follows the enum (checked below).
const std::array<Entry, Settings::KeyCount> &table()
{
    static const std::array<Entry, Settings::KeyCount> entries = {{
        {Settings::WindowGeometry, "MainWindow/Geometry", QVariant(QByteArray())},
        {Settings::WindowState, "MainWindow/State", QVariant(QByteArray())},
        {Settings::OpenPanels, "MainWindow/OpenPanels", QVariant()},
        {Settings::ActiveProfile, "Connections/ActiveProfile", QVariant(QStringLiteral("Local"))},
        {Settings::MessageTableCap, "Limits/MessageTableCap", QVariant(100000)},
        {Settings::LogCap, "Limits/LogCap", QVariant(10000)},
        {Settings::Language, "General/Language", QVariant(QString())},
        {Settings::LocalServicePort, "LocalService/Port", QVariant(8080)},
        {Settings::LocalServiceDataDir, "LocalService/DataDir", QVariant(QString())},
        {Settings::LocalServiceAutoStart, "LocalService/AutoStart", QVariant(true)},
        {Settings::LocalServiceSync, "LocalService/Sync", QVariant(QStringLiteral("always"))},
        {Settings::StatsRefreshSeconds, "Browser/StatsRefreshSeconds", QVariant(5)},
        {Settings::ConnectionProfiles, "Connections/Profiles", QVariant(QString())},
    }};
    return entries;
}

const Entry &entry(Settings::Key key)
{
    const Entry &e = table().at(size_t(key));
    Q_ASSERT(e.key == key);
    return e;
}

} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(QStringLiteral("pulsar-desk"), QStringLiteral("pulsar-desk")))
{}

Settings::Settings(const QString &iniFile, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QVariant Settings::value(Key key) const
{
    const Entry &e = entry(key);
    return m_settings->value(QLatin1String(e.path), e.defaultValue);
}

void Settings::setValue(Key key, const QVariant &value)
{
    const QString p = path(key);
    if (m_settings->contains(p) && m_settings->value(p) == value)
        return;
    m_settings->setValue(p, value);
    Q_EMIT changed(key);
}

void Settings::reset(Key key)
{
    const QString p = path(key);
    if (!m_settings->contains(p))
        return;
    m_settings->remove(p);
    Q_EMIT changed(key);
}

QVariant Settings::defaultValue(Key key)
{
    return entry(key).defaultValue;
}

QString Settings::path(Key key)
{
    return QLatin1String(entry(key).path);
}

QVariant Settings::value(const QString &path, const QVariant &defaultValue) const
{
    return m_settings->value(path, defaultValue);
}

void Settings::setValue(const QString &path, const QVariant &value)
{
    m_settings->setValue(path, value);
}

void Settings::remove(const QString &path)
{
    m_settings->remove(path);
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

} // namespace Pulsar
