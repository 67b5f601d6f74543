#include "settings/settings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Pulsar::Settings;

// Settings: the table's defaults, a round trip through the ini file, reset, the changed() signal and raw paths.
class tst_Settings final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_data();
    void defaults();
    void everyKeyHasAPathAndDistinctPaths();
    void roundTrip();
    void resetRestoresDefault();
    void changedSignal();
    void rawPaths();
    void appInstanceUsesOrganizationLocation();
};

void tst_Settings::defaults_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QVariant>("expected");
    QTest::addRow("ActiveProfile") << int(Settings::ActiveProfile) << QVariant(QStringLiteral("Local"));
    QTest::addRow("MessageTableCap") << int(Settings::MessageTableCap) << QVariant(100000);
    QTest::addRow("LogCap") << int(Settings::LogCap) << QVariant(10000);
    QTest::addRow("Language") << int(Settings::Language) << QVariant(QString());
    QTest::addRow("LocalServicePort") << int(Settings::LocalServicePort) << QVariant(8080);
    QTest::addRow("LocalServiceDataDir") << int(Settings::LocalServiceDataDir) << QVariant(QString());
    QTest::addRow("LocalServiceAutoStart") << int(Settings::LocalServiceAutoStart) << QVariant(true);
    QTest::addRow("LocalServiceSync") << int(Settings::LocalServiceSync) << QVariant(QStringLiteral("always"));
    QTest::addRow("StatsRefreshSeconds") << int(Settings::StatsRefreshSeconds) << QVariant(5);
    QTest::addRow("WindowGeometry") << int(Settings::WindowGeometry) << QVariant(QByteArray());
    QTest::addRow("WindowState") << int(Settings::WindowState) << QVariant(QByteArray());
}

void tst_Settings::defaults()
{
    QFETCH(int, key);
    QFETCH(QVariant, expected);
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("s.ini")));
    QCOMPARE(settings.value(Settings::Key(key)), expected);
    QCOMPARE(Settings::defaultValue(Settings::Key(key)), expected);
}

void tst_Settings::everyKeyHasAPathAndDistinctPaths()
{
    QSet<QString> paths;
    for (int k = 0; k < Settings::KeyCount; ++k) {
        const QString path = Settings::path(Settings::Key(k));
        QVERIFY2(!path.isEmpty(), qPrintable(QString::number(k)));
        QVERIFY2(!paths.contains(path), qPrintable(path));
        paths.insert(path);
    }
}

void tst_Settings::roundTrip()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    const QByteArray geometry("\x01\x02\x00\xff", 4);
    {
        Settings settings(file);
        settings.setValue(Settings::WindowGeometry, geometry);
        settings.setValue(Settings::ActiveProfile, QStringLiteral("Staging"));
        settings.setValue(Settings::LocalServicePort, 9090);
        settings.setValue(Settings::LocalServiceAutoStart, false);
        settings.setValue(Settings::OpenPanels, QVariantList{QStringLiteral("a"), 2});
        settings.sync();
    }
    QVERIFY(QFile::exists(file));
    Settings again(file);
    QCOMPARE(again.value(Settings::WindowGeometry).toByteArray(), geometry);
    QCOMPARE(again.value(Settings::ActiveProfile).toString(), QStringLiteral("Staging"));
    QCOMPARE(again.value(Settings::LocalServicePort).toInt(), 9090);
    QCOMPARE(again.value(Settings::LocalServiceAutoStart).toBool(), false);
    QCOMPARE(again.value(Settings::OpenPanels).toList(), (QVariantList{QStringLiteral("a"), 2}));
    QCOMPARE(again.fileName(), file);
}

void tst_Settings::resetRestoresDefault()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    Settings settings(file);
    settings.setValue(Settings::LogCap, 5);
    settings.setValue(Settings::LocalServicePort, 9090); // keeps the file non-empty after the reset
    QCOMPARE(settings.value(Settings::LogCap).toInt(), 5);
    settings.reset(Settings::LogCap);
    QCOMPARE(settings.value(Settings::LogCap).toInt(), 10000);
    settings.sync();
    QFile ini(file);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray written = ini.readAll();
    QVERIFY(written.contains("9090"));
    QVERIFY(!written.contains("LogCap"));
}

void tst_Settings::changedSignal()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("s.ini")));
    QSignalSpy spy(&settings, &Settings::changed);
    settings.setValue(Settings::StatsRefreshSeconds, 10);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), Settings::StatsRefreshSeconds);
    settings.setValue(Settings::StatsRefreshSeconds, 10); // unchanged: no signal
    QCOMPARE(spy.size(), 1);
    settings.reset(Settings::StatsRefreshSeconds);
    QCOMPARE(spy.size(), 2);
    settings.reset(Settings::StatsRefreshSeconds); // nothing to reset
    QCOMPARE(spy.size(), 2);
}

void tst_Settings::rawPaths()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    {
        Settings settings(file);
        QCOMPARE(settings.value(QStringLiteral("Panels/p1/columns"), 3).toInt(), 3);
        settings.setValue(QStringLiteral("Panels/p1/columns"), 7);
        settings.sync();
    }
    Settings again(file);
    QCOMPARE(again.value(QStringLiteral("Panels/p1/columns")).toInt(), 7);
    again.remove(QStringLiteral("Panels/p1"));
    QVERIFY(!again.value(QStringLiteral("Panels/p1/columns")).isValid());
}

void tst_Settings::appInstanceUsesOrganizationLocation()
{
    // Only the location is checked: nothing is written to the user's real settings.
    Settings settings;
    QVERIFY2(settings.fileName().contains(QLatin1String("pulsar-desk/pulsar-desk")), qPrintable(settings.fileName()));
}

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
