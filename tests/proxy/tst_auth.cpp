#include "jwttestutil.h"
#include "proxy/auth/authconfig.h"
#include "proxy/auth/authenticator.h"
#include "proxy/auth/authorizer.h"
#include "proxy/auth/tlsconfig.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace Proxy;
using TestSupport::claims;
using TestSupport::mintToken;

namespace {

using Query = QList<QPair<QString, QString>>;

Query queryFrom(const QStringList &items)
{
    Query query;
    for (const QString &item : items) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        query.append({item.left(eq), item.mid(eq + 1)});
    }
    return query;
}

QByteArray base64(const QByteArray &bytes)
{
    return bytes.toBase64();
}

QString dataUrl(const QByteArray &bytes)
{
    return QStringLiteral("data:;base64,") + QString::fromLatin1(base64(bytes));
}

QByteArray jsonOf(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

const QString Alice = QStringLiteral("alice");

} // namespace

class tst_Auth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void tokenRules_data();
    void tokenRules();
    void anonymousRole_data();
    void anonymousRole();
    void authenticationDisabled();
    void expiryBoundary();
    void publicKeyTokens_data();
    void publicKeyTokens();
    void algorithmConfusionIsRealForLibjwt();
    void ecTokens_data();
    void ecTokens();
    void claimRules_data();
    void claimRules();

    void keyForms_data();
    void keyForms();
    void configErrors_data();
    void configErrors();
    void loadErrors();
    void configContents();

    void authorize_data();
    void authorize();
    void authorizationDisabled();
    void administer_data();
    void administer();

    void tls_data();
    void tls();
    void tlsHandshake();

private:
    QString writeFile(const QString &name, const QByteArray &bytes);
    AuthConfig configFrom(const QJsonObject &json);
    AuthConfig secretConfig(const QJsonObject &extra = QJsonObject());
    AuthConfig rsaConfig();

    QTemporaryDir m_dir;
    QByteArray m_secret;
    QByteArray m_otherSecret;
    TestSupport::KeyPair m_rsa;
    TestSupport::KeyPair m_rsaOther;
    TestSupport::KeyPair m_ec;
};

QString tst_Auth::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
    return path;
}

AuthConfig tst_Auth::configFrom(const QJsonObject &json)
{
    const auto config = AuthConfig::fromJson(jsonOf(json), m_dir.path());
    if (!config)
        qFatal("test config refused: %s", qPrintable(config.error().message));
    return *config;
}

AuthConfig tst_Auth::secretConfig(const QJsonObject &extra)
{
    QJsonObject json{{QStringLiteral("authenticationEnabled"), true},
                     {QStringLiteral("tokenSecretKey"), dataUrl(m_secret)}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        json.insert(it.key(), it.value());
    return configFrom(json);
}

AuthConfig tst_Auth::rsaConfig()
{
    return configFrom(
        QJsonObject{{QStringLiteral("authenticationEnabled"), true},
                    {QStringLiteral("tokenPublicKey"), writeFile(QStringLiteral("rsa.pub"), m_rsa.publicPem)}});
}

void tst_Auth::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_secret.resize(32);
    m_otherSecret.resize(32);
    QRandomGenerator::global()->generate(m_secret.begin(), m_secret.end());
    QRandomGenerator::global()->generate(m_otherSecret.begin(), m_otherSecret.end());
    m_rsa = TestSupport::generateRsaKeyPair();
    m_rsaOther = TestSupport::generateRsaKeyPair();
    m_ec = TestSupport::generateEcKeyPair();
    QVERIFY(m_rsa.privatePem.startsWith("-----BEGIN PRIVATE KEY-----"));
    QVERIFY(m_rsa.publicPem.startsWith("-----BEGIN PUBLIC KEY-----"));
    QVERIFY(!m_rsa.publicDer.isEmpty());
    QVERIFY(!m_ec.privatePem.isEmpty());
    QVERIFY(QSslSocket::supportsSsl());
}

// ---- authentication ---------------------------------------------------------------------------------------

void tst_Auth::tokenRules_data()
{
    QTest::addColumn<bool>("hasHeader");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("query");
    QTest::addColumn<QByteArray>("method"); // "" = no X-Pulsar-Auth-Method-Name header
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("role");

    const QByteArray valid = mintToken(JWT_ALG_HS256, m_secret, claims(Alice, 3600));
    const QByteArray noExp = mintToken(JWT_ALG_HS256, m_secret, claims(Alice));
    const QByteArray expired = mintToken(JWT_ALG_HS256, m_secret, claims(Alice, -60));
    const QByteArray otherKey = mintToken(JWT_ALG_HS256, m_otherSecret, claims(Alice, 3600));
    const QByteArray rs256 = mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice, 3600));
    QVERIFY(!valid.isEmpty() && !rs256.isEmpty());
    const QString validText = QString::fromLatin1(valid);

    // The payload swapped for another role, the signature kept.
    QList<QByteArray> parts = valid.split('.');
    parts[1] = QJsonDocument(claims(QStringLiteral("root"), 3600))
                   .toJson(QJsonDocument::Compact)
                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray tampered = parts.join('.');

    const QJsonObject noneHeader{{QStringLiteral("alg"), QStringLiteral("none")}};
    const QJsonObject noneTypHeader{{QStringLiteral("alg"), QStringLiteral("none")},
                                    {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QByteArray unsignedToken = TestSupport::handmadeToken(noneHeader, claims(Alice, 3600));
    const QByteArray unsignedWithSig =
        TestSupport::handmadeToken(noneTypHeader, claims(Alice, 3600), QByteArrayLiteral("sig"));
    const QByteArray unknownAlg = TestSupport::handmadeToken(
        QJsonObject{{QStringLiteral("alg"), QStringLiteral("HS999")}}, claims(Alice, 3600), QByteArrayLiteral("x"));

    const auto bearer = [](const QByteArray &token) -> QByteArray { return QByteArrayLiteral("Bearer ") + token; };

    QTest::addRow("header") << true << bearer(valid) << QStringList() << QByteArray() << true << Alice;
    QTest::addRow("header, no exp claim") << true << bearer(noExp) << QStringList() << QByteArray() << true << Alice;
    QTest::addRow("header lower-case bearer")
        << true << (QByteArrayLiteral("bearer ") + valid) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("header BEARER") << true << (QByteArrayLiteral("BEARER ") + valid) << QStringList() << QByteArray()
                                   << false << QString();
    QTest::addRow("header two spaces") << true << (QByteArrayLiteral("Bearer  ") + valid) << QStringList()
                                       << QByteArray() << false << QString();
    QTest::addRow("header Bearer only") << true << QByteArrayLiteral("Bearer ") << QStringList() << QByteArray()
                                        << false << QString();
    QTest::addRow("header Bearer blank") << true << QByteArrayLiteral("Bearer    ") << QStringList() << QByteArray()
                                         << false << QString();
    QTest::addRow("header empty") << true << QByteArray() << QStringList() << QByteArray() << false << QString();
    QTest::addRow("header Basic") << true << QByteArrayLiteral("Basic YWxpY2U6cHc=") << QStringList() << QByteArray()
                                  << false << QString();
    QTest::addRow("header raw token without Bearer")
        << true << valid << QStringList() << QByteArray() << false << QString();
    QTest::addRow("nothing at all") << false << QByteArray() << QStringList() << QByteArray() << false << QString();

    QTest::addRow("query token") << false << QByteArray() << QStringList{QStringLiteral("token=") + validText}
                                 << QByteArray() << true << Alice;
    QTest::addRow("query Bearer token") << false << QByteArray()
                                        << QStringList{QStringLiteral("token=Bearer ") + validText} << QByteArray()
                                        << true << Alice;
    QTest::addRow("query lower-case bearer token")
        << false << QByteArray() << QStringList{QStringLiteral("token=bearer ") + validText} << QByteArray() << false
        << QString();
    QTest::addRow("query empty token") << false << QByteArray() << QStringList{QStringLiteral("token=")} << QByteArray()
                                       << false << QString();
    QTest::addRow("query name is case-sensitive")
        << false << QByteArray() << QStringList{QStringLiteral("Token=") + validText} << QByteArray() << false
        << QString();
    QTest::addRow("query first token counts (bad first)")
        << false << QByteArray() << QStringList{QStringLiteral("token=garbage"), QStringLiteral("token=") + validText}
        << QByteArray() << false << QString();
    QTest::addRow("query first token counts (good first)")
        << false << QByteArray() << QStringList{QStringLiteral("token=") + validText, QStringLiteral("token=garbage")}
        << QByteArray() << true << Alice;
    QTest::addRow("query among other params")
        << false << QByteArray()
        << QStringList{QStringLiteral("sendTimeoutMillis=1000"), QStringLiteral("token=") + validText} << QByteArray()
        << true << Alice;
    QTest::addRow("header present wins over good query")
        << true << QByteArrayLiteral("Bearer garbage") << QStringList{QStringLiteral("token=") + validText}
        << QByteArray() << false << QString();
    QTest::addRow("empty header present wins over good query")
        << true << QByteArray() << QStringList{QStringLiteral("token=") + validText} << QByteArray() << false
        << QString();
    QTest::addRow("good header, bad query ignored")
        << true << bearer(valid) << QStringList{QStringLiteral("token=garbage")} << QByteArray() << true << Alice;

    QTest::addRow("expired") << true << bearer(expired) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("expired via query") << false << QByteArray()
                                       << QStringList{QStringLiteral("token=") + QString::fromLatin1(expired)}
                                       << QByteArray() << false << QString();
    QTest::addRow("wrong secret") << true << bearer(otherKey) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("tampered payload") << true << bearer(tampered) << QStringList() << QByteArray() << false
                                      << QString();
    QTest::addRow("alg none") << true << bearer(unsignedToken) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("alg none with a signature")
        << true << bearer(unsignedWithSig) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("unknown alg") << true << bearer(unknownAlg) << QStringList() << QByteArray() << false << QString();
    // jjwt refuses an HMAC key shorter than the hash; the 256-bit secret is fine for HS256 only.
    QTest::addRow("HS384 with a 256-bit secret")
        << true << bearer(mintToken(JWT_ALG_HS384, m_secret, claims(Alice, 3600))) << QStringList() << QByteArray()
        << false << QString();
    QTest::addRow("HS512 with a 256-bit secret")
        << true << bearer(mintToken(JWT_ALG_HS512, m_secret, claims(Alice, 3600))) << QStringList() << QByteArray()
        << false << QString();
    QTest::addRow("RS256 token to an HS256 service")
        << true << bearer(rs256) << QStringList() << QByteArray() << false << QString();
    QTest::addRow("garbage") << true << QByteArrayLiteral("Bearer not-a-jwt") << QStringList() << QByteArray() << false
                             << QString();
    QTest::addRow("three empty-ish parts")
        << true << QByteArrayLiteral("Bearer a.b.c") << QStringList() << QByteArray() << false << QString();
    QTest::addRow("extra part") << true << bearer(valid + ".abc") << QStringList() << QByteArray() << false
                                << QString();
    QTest::addRow("trailing space") << true << bearer(valid + ' ') << QStringList() << QByteArray() << false
                                    << QString();
    QTest::addRow("trailing bytes after NUL")
        << true << bearer(valid + QByteArray("\0junk", 5)) << QStringList() << QByteArray() << false << QString();

    QTest::addRow("method token, good") << true << bearer(valid) << QStringList() << QByteArrayLiteral("token") << true
                                        << Alice;
    QTest::addRow("method token, query") << false << QByteArray() << QStringList{QStringLiteral("token=") + validText}
                                         << QByteArrayLiteral("token") << true << Alice;
    QTest::addRow("method unknown") << true << bearer(valid) << QStringList() << QByteArrayLiteral("tls") << false
                                    << QString();
}

void tst_Auth::tokenRules()
{
    QFETCH(bool, hasHeader);
    QFETCH(QByteArray, header);
    QFETCH(QStringList, query);
    QFETCH(QByteArray, method);
    QFETCH(bool, ok);
    QFETCH(QString, role);

    const Authenticator authenticator(secretConfig());
    QVERIFY(authenticator.isEnabled());
    const AuthResult result =
        authenticator.authenticate(hasHeader ? std::optional<QByteArray>(header) : std::nullopt, queryFrom(query),
                                   method.isEmpty() ? std::nullopt : std::optional(method));
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.role, role);
    if (!ok) {
        QVERIFY(!result.detail.isEmpty());
        // The detail goes to logs: it must never carry the credential.
        const QStringList parts = QString::fromLatin1(header).split(QLatin1Char('.'));
        if (parts.size() == 3 && parts.at(2).size() >= 16)
            QVERIFY(!result.detail.contains(parts.at(2)));
    }
}

void tst_Auth::anonymousRole_data()
{
    QTest::addColumn<bool>("hasHeader");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("role");

    const QByteArray valid = QByteArrayLiteral("Bearer ") + mintToken(JWT_ALG_HS256, m_secret, claims(Alice, 3600));
    const QByteArray expired = QByteArrayLiteral("Bearer ") + mintToken(JWT_ALG_HS256, m_secret, claims(Alice, -5));
    const QString anon = QStringLiteral("anon");

    QTest::addRow("valid token keeps its role") << true << valid << QByteArray() << true << Alice;
    QTest::addRow("missing token -> anonymous") << false << QByteArray() << QByteArray() << true << anon;
    QTest::addRow("expired token -> anonymous") << true << expired << QByteArray() << true << anon;
    QTest::addRow("garbage -> anonymous") << true << QByteArrayLiteral("Bearer x") << QByteArray() << true << anon;
    QTest::addRow("named method: failure is final")
        << true << expired << QByteArrayLiteral("token") << false << QString();
    QTest::addRow("named unknown method: failure is final")
        << true << valid << QByteArrayLiteral("basic") << false << QString();
}

void tst_Auth::anonymousRole()
{
    QFETCH(bool, hasHeader);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, method);
    QFETCH(bool, ok);
    QFETCH(QString, role);

    const Authenticator authenticator(secretConfig({{QStringLiteral("anonymousUserRole"), QStringLiteral("anon")}}));
    const AuthResult result =
        authenticator.authenticate(hasHeader ? std::optional<QByteArray>(header) : std::nullopt, Query(),
                                   method.isEmpty() ? std::nullopt : std::optional(method));
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.role, role);
}

void tst_Auth::authenticationDisabled()
{
    const Authenticator authenticator(configFrom(QJsonObject()));
    QVERIFY(!authenticator.isEnabled());
    const AuthResult garbage = authenticator.authenticate(QByteArrayLiteral("Bearer garbage"), Query());
    QVERIFY(garbage.ok);
    QCOMPARE(garbage.role, QString());
    QVERIFY(authenticator.authenticate(std::nullopt, Query()).ok);
    // The token provider itself still refuses when asked directly: there is no key.
    QVERIFY(!authenticator.authenticateToken(mintToken(JWT_ALG_HS256, m_secret, claims(Alice))).ok);
}

void tst_Auth::expiryBoundary()
{
    Authenticator authenticator(secretConfig());
    const qint64 exp = 2000000000;
    const qint64 nbf = 1900000000;
    const QByteArray token = mintToken(
        JWT_ALG_HS256, m_secret,
        QJsonObject{{QStringLiteral("sub"), Alice}, {QStringLiteral("exp"), exp}, {QStringLiteral("nbf"), nbf}});
    qint64 now = exp * 1000;
    authenticator.setClockForTesting([&now] { return now; });
    QVERIFY(authenticator.authenticateToken(token).ok); // jjwt: expired only once now is after exp
    now = exp * 1000 + 1;
    QVERIFY(!authenticator.authenticateToken(token).ok);
    now = nbf * 1000;
    QVERIFY(authenticator.authenticateToken(token).ok);
    now = nbf * 1000 - 1;
    QVERIFY(!authenticator.authenticateToken(token).ok);

    const QByteArray stringExp =
        mintToken(JWT_ALG_HS256, m_secret,
                  QJsonObject{{QStringLiteral("sub"), Alice}, {QStringLiteral("exp"), QStringLiteral("2000000000")}});
    now = 0;
    QVERIFY(!authenticator.authenticateToken(stringExp).ok);
}

void tst_Auth::publicKeyTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("ok");

    const AuthConfig config = rsaConfig();
    QTest::addRow("RS256") << mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice, 3600)) << true;
    QTest::addRow("RS512") << mintToken(JWT_ALG_RS512, m_rsa.privatePem, claims(Alice, 3600)) << true;
    QTest::addRow("RS256 without exp") << mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice)) << true;
    QTest::addRow("RS256 expired") << mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice, -1)) << false;
    QTest::addRow("RS256 other key") << mintToken(JWT_ALG_RS256, m_rsaOther.privatePem, claims(Alice, 3600)) << false;
    // The classic confusion: HMAC keyed with the public key itself, byte for byte what the service holds.
    QTest::addRow("HS256 keyed with the public key")
        << mintToken(JWT_ALG_HS256, config.validationKey, claims(Alice, 3600)) << false;
    QTest::addRow("HS256 keyed with the public key file")
        << mintToken(JWT_ALG_HS256, m_rsa.publicPem, claims(Alice, 3600)) << false;
    QTest::addRow("HS256 with a secret") << mintToken(JWT_ALG_HS256, m_secret, claims(Alice, 3600)) << false;
    QTest::addRow("ES256") << mintToken(JWT_ALG_ES256, m_ec.privatePem, claims(Alice, 3600)) << false;
    QTest::addRow("alg none") << TestSupport::handmadeToken(
                                     QJsonObject{{QStringLiteral("alg"), QStringLiteral("none")}}, claims(Alice, 3600))
                              << false;
}

void tst_Auth::publicKeyTokens()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, ok);
    QVERIFY(!token.isEmpty());
    const Authenticator authenticator(rsaConfig());
    const AuthResult result = authenticator.authenticate(QByteArrayLiteral("Bearer ") + token, Query());
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.role, ok ? Alice : QString());
}

void tst_Auth::algorithmConfusionIsRealForLibjwt()
{
    // Shows that the HS256-with-public-key row above is refused by our algorithm check and not by accident:
    // libjwt on its own takes the algorithm from the token and accepts the forged token.
    const AuthConfig config = rsaConfig();
    const QByteArray forged = mintToken(JWT_ALG_HS256, config.validationKey, claims(Alice, 3600));
    jwt_t *jwt = nullptr;
    const int rc =
        jwt_decode(&jwt, forged.constData(), reinterpret_cast<const unsigned char *>(config.validationKey.constData()),
                   int(config.validationKey.size()));
    QCOMPARE(rc, 0);
    QCOMPARE(jwt_get_alg(jwt), JWT_ALG_HS256);
    jwt_free(jwt);
    QVERIFY(!Authenticator(config).authenticateToken(forged).ok);
}

void tst_Auth::ecTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("ok");
    QTest::addRow("ES256") << mintToken(JWT_ALG_ES256, m_ec.privatePem, claims(Alice, 3600)) << true;
    QTest::addRow("RS256") << mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice, 3600)) << false;
    QTest::addRow("ES256 expired") << mintToken(JWT_ALG_ES256, m_ec.privatePem, claims(Alice, -1)) << false;
}

void tst_Auth::ecTokens()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, ok);
    const Authenticator authenticator(
        configFrom({{QStringLiteral("authenticationEnabled"), true},
                    {QStringLiteral("tokenPublicKey"), writeFile(QStringLiteral("ec.pub"), m_ec.publicPem)},
                    {QStringLiteral("tokenPublicAlg"), QStringLiteral("ES256")}}));
    QCOMPARE(authenticator.authenticateToken(token).ok, ok);
}

void tst_Auth::claimRules_data()
{
    QTest::addColumn<QJsonObject>("extraConfig");
    QTest::addColumn<QJsonObject>("tokenClaims");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("role");

    const QJsonObject audience{{QStringLiteral("tokenAudienceClaim"), QStringLiteral("aud")},
                               {QStringLiteral("tokenAudience"), QStringLiteral("desk")}};
    const QJsonObject roleClaim{{QStringLiteral("tokenAuthClaim"), QStringLiteral("role")}};

    QTest::addRow("audience string") << audience << claims(Alice, 3600, QStringLiteral("desk")) << true << Alice;
    QTest::addRow("audience list") << audience
                                   << claims(Alice, 3600, QJsonArray{QStringLiteral("x"), QStringLiteral("desk")})
                                   << true << Alice;
    QTest::addRow("audience other") << audience << claims(Alice, 3600, QStringLiteral("broker")) << false << QString();
    QTest::addRow("audience list without us")
        << audience << claims(Alice, 3600, QJsonArray{QStringLiteral("x")}) << false << QString();
    QTest::addRow("audience missing") << audience << claims(Alice, 3600) << false << QString();
    QTest::addRow("audience a number") << audience << claims(Alice, 3600, 7) << false << QString();
    QTest::addRow("audience ignored when not configured")
        << QJsonObject() << claims(Alice, 3600, QStringLiteral("broker")) << true << Alice;

    QTest::addRow("custom role claim") << roleClaim
                                       << QJsonObject{{QStringLiteral("role"), QStringLiteral("carol")},
                                                      {QStringLiteral("sub"), Alice}}
                                       << true << QStringLiteral("carol");
    QTest::addRow("custom role claim missing") << roleClaim << claims(Alice, 3600) << false << QString();
    QTest::addRow("role claim list takes its first")
        << QJsonObject() << QJsonObject{{QStringLiteral("sub"), QJsonArray{QStringLiteral("bob"), Alice}}} << true
        << QStringLiteral("bob");
    QTest::addRow("role claim empty list")
        << QJsonObject() << QJsonObject{{QStringLiteral("sub"), QJsonArray()}} << false << QString();
    QTest::addRow("role claim a number") << QJsonObject() << QJsonObject{{QStringLiteral("sub"), 42}} << false
                                         << QString();
    QTest::addRow("role claim empty") << QJsonObject() << QJsonObject{{QStringLiteral("sub"), QString()}} << false
                                      << QString();
    QTest::addRow("no claims at all") << QJsonObject() << QJsonObject{{QStringLiteral("iat"), 1}} << false << QString();
}

void tst_Auth::claimRules()
{
    QFETCH(QJsonObject, extraConfig);
    QFETCH(QJsonObject, tokenClaims);
    QFETCH(bool, ok);
    QFETCH(QString, role);
    const Authenticator authenticator(secretConfig(extraConfig));
    const AuthResult result = authenticator.authenticateToken(mintToken(JWT_ALG_HS256, m_secret, tokenClaims));
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.role, role);
}

// ---- configuration ------------------------------------------------------------------------------------------

void tst_Auth::keyForms_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("token");

    const QByteArray hs = mintToken(JWT_ALG_HS256, m_secret, claims(Alice, 3600));
    const QByteArray rs = mintToken(JWT_ALG_RS256, m_rsa.privatePem, claims(Alice, 3600));
    const QString secretFile = writeFile(QStringLiteral("keys/secret.key"), m_secret);
    const QString secret = QStringLiteral("tokenSecretKey");
    const QString pub = QStringLiteral("tokenPublicKey");

    QTest::addRow("secret data URL") << secret << dataUrl(m_secret) << hs;
    QTest::addRow("secret data URL with media type")
        << secret << (QStringLiteral("data:application/octet-stream;base64,") + QString::fromLatin1(base64(m_secret)))
        << hs;
    QTest::addRow("secret file URL") << secret << QUrl::fromLocalFile(secretFile).toString() << hs;
    QTest::addRow("secret absolute path") << secret << secretFile << hs;
    QTest::addRow("secret path relative to the config") << secret << QStringLiteral("keys/secret.key") << hs;
    QTest::addRow("secret base64") << secret << QString::fromLatin1(base64(m_secret)) << hs;
    QTest::addRow("secret base64url") << secret
                                      << QString::fromLatin1(m_secret.toBase64(QByteArray::Base64UrlEncoding |
                                                                               QByteArray::OmitTrailingEquals))
                                      << hs;
    QTest::addRow("public PEM file") << pub << writeFile(QStringLiteral("keys/public.pem"), m_rsa.publicPem) << rs;
    QTest::addRow("public DER file (pulsar tokens create-key-pair)")
        << pub << QUrl::fromLocalFile(writeFile(QStringLiteral("keys/public.der"), m_rsa.publicDer)).toString() << rs;
    QTest::addRow("public DER inline base64") << pub << QString::fromLatin1(base64(m_rsa.publicDer)) << rs;
    QTest::addRow("public PEM data URL") << pub << dataUrl(m_rsa.publicPem) << rs;
}

void tst_Auth::keyForms()
{
    QFETCH(QString, setting);
    QFETCH(QString, value);
    QFETCH(QByteArray, token);
    const auto config =
        AuthConfig::fromJson(jsonOf({{QStringLiteral("authenticationEnabled"), true}, {setting, value}}), m_dir.path());
    QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().message));
    const AuthResult result = Authenticator(*config).authenticateToken(token);
    QVERIFY2(result.ok, qPrintable(result.detail));
    QCOMPARE(result.role, Alice);
}

void tst_Auth::configErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");

    const QString weakSecret = dataUrl(QByteArray(31, 'k'));
    const QString goodSecret = dataUrl(m_secret);
    const QString smallRsa = writeFile(QStringLiteral("small.pub"), TestSupport::generateRsaKeyPair(1024).publicPem);
    const QString notAKey = writeFile(QStringLiteral("not-a-key.pub"), QByteArrayLiteral("hello"));
    const QString directory = m_dir.filePath(QStringLiteral("a-directory"));
    QDir().mkpath(directory);
    const int field = int(Pulsar::ErrorCode::InvalidField);
    const int json = int(Pulsar::ErrorCode::InvalidJson);
    const auto with = [&](const QJsonObject &extra) {
        QJsonObject object{{QStringLiteral("authenticationEnabled"), true},
                           {QStringLiteral("tokenSecretKey"), goodSecret}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            object.insert(it.key(), it.value());
        return jsonOf(object);
    };
    const auto grants = [&](const QJsonObject &g) { return with({{QStringLiteral("grants"), g}}); };

    QTest::addRow("not JSON") << QByteArrayLiteral("{\"authenticationEnabled\": tru") << json
                              << QStringLiteral("not valid JSON at offset");
    QTest::addRow("not an object") << QByteArrayLiteral("[1]") << json << QStringLiteral("JSON object");
    QTest::addRow("unknown setting") << with({{QStringLiteral("tokenSecretkey"), goodSecret}}) << field
                                     << QStringLiteral("unknown setting \"tokenSecretkey\"");
    QTest::addRow("bool as string") << jsonOf({{QStringLiteral("authenticationEnabled"), QStringLiteral("true")}})
                                    << field << QStringLiteral("authenticationEnabled: expected true or false");
    QTest::addRow("key as number") << jsonOf({{QStringLiteral("tokenSecretKey"), 5}}) << field
                                   << QStringLiteral("tokenSecretKey: expected a string");
    QTest::addRow("no key") << jsonOf({{QStringLiteral("authenticationEnabled"), true}}) << field
                            << QStringLiteral("needs tokenSecretKey or tokenPublicKey");
    QTest::addRow("both keys") << with({{QStringLiteral("tokenPublicKey"), notAKey}}) << field
                               << QStringLiteral("not both");
    QTest::addRow("weak secret") << with({{QStringLiteral("tokenSecretKey"), weakSecret}}) << field
                                 << QStringLiteral("the key has 248 bits");
    QTest::addRow("secret file missing")
        << with({{QStringLiteral("tokenSecretKey"), QStringLiteral("file:///nonexistent/secret.key")}}) << field
        << QStringLiteral("tokenSecretKey: the key file \"/nonexistent/secret.key\" does not exist");
    QTest::addRow("secret file unreadable") << with({{QStringLiteral("tokenSecretKey"), directory}}) << field
                                            << QStringLiteral("tokenSecretKey: cannot read the key file");
    QTest::addRow("secret neither file nor base64")
        << with({{QStringLiteral("tokenSecretKey"), QStringLiteral("no such file!")}}) << field
        << QStringLiteral("is neither an existing key file nor base64 text");
    QTest::addRow("secret data URL without comma")
        << with({{QStringLiteral("tokenSecretKey"), QStringLiteral("data:;base64")}}) << field
        << QStringLiteral("needs a comma");
    QTest::addRow("secret data URL bad base64")
        << with({{QStringLiteral("tokenSecretKey"), QStringLiteral("data:;base64,!!!")}}) << field
        << QStringLiteral("not valid base64");
    QTest::addRow("public key not a key")
        << jsonOf({{QStringLiteral("authenticationEnabled"), true}, {QStringLiteral("tokenPublicKey"), notAKey}})
        << field << QStringLiteral("not a RSA public key");
    QTest::addRow("public key too small")
        << jsonOf({{QStringLiteral("authenticationEnabled"), true}, {QStringLiteral("tokenPublicKey"), smallRsa}})
        << field << QStringLiteral("the RSA key has 1024 bits");
    QTest::addRow("public alg HS256") << jsonOf({{QStringLiteral("authenticationEnabled"), true},
                                                 {QStringLiteral("tokenPublicKey"), smallRsa},
                                                 {QStringLiteral("tokenPublicAlg"), QStringLiteral("HS256")}})
                                      << field << QStringLiteral("unsupported algorithm \"HS256\"");
    QTest::addRow("audience claim without audience")
        << with({{QStringLiteral("tokenAudienceClaim"), QStringLiteral("aud")}}) << field
        << QStringLiteral("tokenAudience");
    QTest::addRow("authorization without authentication")
        << jsonOf({{QStringLiteral("authorizationEnabled"), true}}) << field
        << QStringLiteral("authorizationEnabled needs authenticationEnabled");
    QTest::addRow("super users not a list") << with({{QStringLiteral("superUserRoles"), QStringLiteral("admin")}})
                                            << field << QStringLiteral("superUserRoles: expected an array");
    QTest::addRow("super user empty") << with({{QStringLiteral("superUserRoles"), QJsonArray{QString()}}}) << field
                                      << QStringLiteral("non-empty strings");
    QTest::addRow("grants not an object")
        << grants(QJsonObject()).replace("{}", "[]") << field << QStringLiteral("grants: expected an object");
    QTest::addRow("grants unknown section") << grants({{QStringLiteral("clusters"), QJsonObject()}}) << field
                                            << QStringLiteral("grants: unknown section \"clusters\"");
    QTest::addRow("unknown action")
        << grants({{QStringLiteral("namespaces"),
                    QJsonObject{{QStringLiteral("public/default"),
                                 QJsonObject{{QStringLiteral("role-a"), QJsonArray{QStringLiteral("publish")}}}}}}})
        << field << QStringLiteral("grants/namespaces/public/default/role-a: unknown action \"publish\"");
    QTest::addRow("action case matters")
        << grants({{QStringLiteral("namespaces"),
                    QJsonObject{{QStringLiteral("public/default"),
                                 QJsonObject{{QStringLiteral("role-a"), QJsonArray{QStringLiteral("Produce")}}}}}}})
        << field << QStringLiteral("unknown action \"Produce\"");
    QTest::addRow("actions not a list")
        << grants({{QStringLiteral("topics"),
                    QJsonObject{{QStringLiteral("persistent://public/default/t"),
                                 QJsonObject{{QStringLiteral("role-a"), QStringLiteral("produce")}}}}}})
        << field << QStringLiteral("expected an array of actions");
    QTest::addRow("bad namespace") << grants({{QStringLiteral("namespaces"),
                                               QJsonObject{{QStringLiteral("public"), QJsonObject()}}}})
                                   << field << QStringLiteral("grants/namespaces: invalid namespace \"public\"");
    QTest::addRow("bad topic") << grants({{QStringLiteral("topics"),
                                           QJsonObject{{QStringLiteral("persistent://public"), QJsonObject()}}}})
                               << field << QStringLiteral("grants/topics: invalid topic \"persistent://public\"");
    QTest::addRow("subscription roles not a list")
        << grants({{QStringLiteral("subscriptions"),
                    QJsonObject{{QStringLiteral("public/default"),
                                 QJsonObject{{QStringLiteral("sub"), QStringLiteral("role-a")}}}}}})
        << field << QStringLiteral("grants/subscriptions/public/default/sub: expected an array of role names");
}

void tst_Auth::configErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(int, code);
    QFETCH(QString, message);
    const auto config = AuthConfig::fromJson(json, m_dir.path());
    QVERIFY(!config.ok());
    QCOMPARE(int(config.error().code), code);
    QVERIFY2(config.error().message.contains(message), qPrintable(config.error().message));
}

void tst_Auth::loadErrors()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-auth.json"));
    const auto notThere = AuthConfig::load(missing);
    QVERIFY(!notThere.ok());
    QVERIFY2(notThere.error().message.contains(QStringLiteral("does not exist")), qPrintable(notThere.error().message));
    QVERIFY(notThere.error().message.contains(missing));

    const auto directory = AuthConfig::load(m_dir.path());
    QVERIFY(!directory.ok());
    QVERIFY2(directory.error().message.startsWith(QStringLiteral("Cannot read")),
             qPrintable(directory.error().message));

    // Errors inside the file name the file; relative key paths are resolved against the file's directory.
    const QString bad = writeFile(QStringLiteral("conf/bad.json"), QByteArrayLiteral("{\"grants\": 1}"));
    const auto badResult = AuthConfig::load(bad);
    QVERIFY(!badResult.ok());
    QVERIFY2(badResult.error().message.startsWith(QStringLiteral("bad.json: grants:")),
             qPrintable(badResult.error().message));

    writeFile(QStringLiteral("conf/keys/s.key"), m_secret);
    const QString good =
        writeFile(QStringLiteral("conf/good.json"),
                  QByteArrayLiteral("{\"authenticationEnabled\": true, \"tokenSecretKey\": \"keys/s.key\"}"));
    const auto goodResult = AuthConfig::load(good);
    QVERIFY2(goodResult.ok(), goodResult.ok() ? "" : qPrintable(goodResult.error().message));
    QCOMPARE(goodResult->validationKey, m_secret);
    QCOMPARE(goodResult->keyKind, AuthConfig::KeyKind::Secret);
}

void tst_Auth::configContents()
{
    const AuthConfig config = secretConfig(QJsonObject{
        {QStringLiteral("authorizationEnabled"), true},
        {QStringLiteral("superUserRoles"), QJsonArray{QStringLiteral("admin"), QStringLiteral("ops")}},
        {QStringLiteral("grants"),
         QJsonObject{{QStringLiteral("namespaces"),
                      QJsonObject{{QStringLiteral("public/default"),
                                   QJsonObject{{QStringLiteral("a"),
                                                QJsonArray{QStringLiteral("produce"), QStringLiteral("functions")}}}}}},
                     {QStringLiteral("topics"),
                      QJsonObject{{QStringLiteral("my-topic"),
                                   QJsonObject{{QStringLiteral("b"), QJsonArray{QStringLiteral("consume")}}}}}}}}});
    QCOMPARE(config.superUserRoles, (QSet<QString>{QStringLiteral("admin"), QStringLiteral("ops")}));
    QCOMPARE(config.tokenAuthClaim, QStringLiteral("sub"));
    const AuthActions nsActions =
        config.namespaceGrants.value(QStringLiteral("public/default")).value(QStringLiteral("a"));
    QVERIFY(hasAction(nsActions, AuthAction::Produce));
    QVERIFY(hasAction(nsActions, AuthAction::Functions));
    QVERIFY(!hasAction(nsActions, AuthAction::Consume));
    // Short topic names are normalised the way Pulsar names them.
    QCOMPARE(config.topicGrants.keys(), QList<QString>{QStringLiteral("persistent://public/default/my-topic")});
}

// ---- authorization ------------------------------------------------------------------------------------------

void tst_Auth::authorize_data()
{
    QTest::addColumn<bool>("wildcards");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("produce");
    QTest::addColumn<QString>("subscription");
    QTest::addColumn<bool>("allowed");

    const QString t = QStringLiteral("persistent://public/default/t");
    const QString other = QStringLiteral("persistent://public/default/other");
    const QString part = QStringLiteral("persistent://public/default/t-partition-3");
    const QString p = QStringLiteral("persistent://public/default/p");
    const QString pPart = QStringLiteral("persistent://public/default/p-partition-1");
    const QString elsewhere = QStringLiteral("persistent://sample/ns/t");

    QTest::addRow("super-user produces anywhere")
        << false << QStringLiteral("admin") << elsewhere << true << QString() << true;
    QTest::addRow("super-user consumes a reserved subscription")
        << false << QStringLiteral("admin") << t << false << QStringLiteral("reserved") << true;
    QTest::addRow("namespace produce grant: produce")
        << false << QStringLiteral("ns-producer") << other << true << QString() << true;
    QTest::addRow("namespace produce grant: consume")
        << false << QStringLiteral("ns-producer") << other << false << QStringLiteral("s") << false;
    QTest::addRow("namespace grant: other namespace")
        << false << QStringLiteral("ns-producer") << elsewhere << true << QString() << false;
    QTest::addRow("namespace grant: non-persistent too")
        << false << QStringLiteral("ns-producer") << QStringLiteral("non-persistent://public/default/np") << true
        << QString() << true;
    QTest::addRow("topic consume grant: consume")
        << false << QStringLiteral("t-reader") << t << false << QStringLiteral("s") << true;
    QTest::addRow("topic consume grant: reader (no subscription)")
        << false << QStringLiteral("t-reader") << t << false << QString() << true;
    QTest::addRow("topic consume grant: produce")
        << false << QStringLiteral("t-reader") << t << true << QString() << false;
    QTest::addRow("topic grant: partition inherits")
        << false << QStringLiteral("t-reader") << part << false << QStringLiteral("s") << true;
    QTest::addRow("topic grant: other topic")
        << false << QStringLiteral("t-reader") << other << false << QStringLiteral("s") << false;
    QTest::addRow("topic grant: non-persistent twin")
        << false << QStringLiteral("t-reader") << QStringLiteral("non-persistent://public/default/t") << false
        << QStringLiteral("s") << false;
    QTest::addRow("partition grant: that partition")
        << false << QStringLiteral("p1-writer") << pPart << true << QString() << true;
    QTest::addRow("partition grant: not the partitioned topic")
        << false << QStringLiteral("p1-writer") << p << true << QString() << false;
    QTest::addRow("partition grant: not another partition")
        << false << QStringLiteral("p1-writer") << QStringLiteral("persistent://public/default/p-partition-2") << true
        << QString() << false;
    QTest::addRow("short name grant") << false << QStringLiteral("short")
                                      << QStringLiteral("persistent://public/default/short-topic") << true << QString()
                                      << true;
    QTest::addRow("anonymous role has its grants")
        << false << QStringLiteral("anon") << t << false << QStringLiteral("s") << true;
    QTest::addRow("unknown role") << false << QStringLiteral("mallory") << t << false << QStringLiteral("s") << false;
    QTest::addRow("empty role") << false << QString() << t << true << QString() << false;
    QTest::addRow("pattern checked as a topic")
        << false << QStringLiteral("ns-consumer") << QStringLiteral("persistent://public/default/t-.*") << false
        << QStringLiteral("s") << true;

    QTest::addRow("reserved subscription: its role")
        << false << QStringLiteral("ns-consumer") << t << false << QStringLiteral("reserved") << true;
    QTest::addRow("reserved subscription: another role with consume")
        << false << QStringLiteral("t-reader") << t << false << QStringLiteral("reserved") << false;
    QTest::addRow("open subscription (empty list)")
        << false << QStringLiteral("t-reader") << t << false << QStringLiteral("open") << true;
    QTest::addRow("reserved subscription: producer unaffected")
        << false << QStringLiteral("ns-producer") << t << true << QStringLiteral("reserved") << true;

    QTest::addRow("v1 local cluster") << false << QStringLiteral("v1-role")
                                      << QStringLiteral("persistent://sample/standalone/ns1/t") << true << QString()
                                      << true;
    QTest::addRow("v1 global") << false << QStringLiteral("v1-global")
                               << QStringLiteral("persistent://sample/global/ns1/t") << true << QString() << true;
    QTest::addRow("v1 foreign cluster") << false << QStringLiteral("v1-role")
                                        << QStringLiteral("persistent://sample/us-west/ns1/t") << true << QString()
                                        << false;
    QTest::addRow("v1 foreign cluster, super-user")
        << false << QStringLiteral("admin") << QStringLiteral("persistent://sample/us-west/ns1/t") << true << QString()
        << true;

    QTest::addRow("wildcard prefix, enabled") << true << QStringLiteral("app-7") << t << true << QString() << true;
    QTest::addRow("wildcard prefix, disabled") << false << QStringLiteral("app-7") << t << true << QString() << false;
    QTest::addRow("wildcard suffix, enabled")
        << true << QStringLiteral("x-svc") << t << false << QStringLiteral("s") << true;
    QTest::addRow("wildcard suffix, wrong action")
        << true << QStringLiteral("x-svc") << t << true << QString() << false;
    QTest::addRow("wildcard, no match") << true << QStringLiteral("svc-x") << t << false << QStringLiteral("s")
                                        << false;
    QTest::addRow("wildcard on a topic grant") << true << QStringLiteral("team-9") << t << true << QString() << true;
}

void tst_Auth::authorize()
{
    QFETCH(bool, wildcards);
    QFETCH(QString, role);
    QFETCH(QString, topic);
    QFETCH(bool, produce);
    QFETCH(QString, subscription);
    QFETCH(bool, allowed);

    const QByteArray json = R"({
        "authorizationEnabled": true,
        "superUserRoles": ["admin"],
        "anonymousUserRole": "anon",
        "grants": {
            "namespaces": {
                "public/default": {"ns-producer": ["produce"], "ns-consumer": ["consume"], "anon": ["consume"],
                                   "app-*": ["produce"], "*-svc": ["consume"]},
                "sample/standalone/ns1": {"v1-role": ["produce"]},
                "sample/global/ns1": {"v1-global": ["produce"]}
            },
            "topics": {
                "persistent://public/default/t": {"t-reader": ["consume"], "team-*": ["produce"]},
                "persistent://public/default/p-partition-1": {"p1-writer": ["produce"]},
                "short-topic": {"short": ["produce"]}
            },
            "subscriptions": {
                "public/default": {"reserved": ["ns-consumer"], "open": []}
            }
        }
    })";
    QJsonObject object = QJsonDocument::fromJson(json).object();
    QVERIFY(!object.isEmpty());
    object.insert(QStringLiteral("authenticationEnabled"), true);
    object.insert(QStringLiteral("tokenSecretKey"), dataUrl(m_secret));
    object.insert(QStringLiteral("authorizationAllowWildcardsMatching"), wildcards);
    const Authorizer authorizer(configFrom(object), QStringLiteral("standalone"));
    QVERIFY(authorizer.isEnabled());

    const auto name = Pulsar::TopicName::parse(topic);
    QVERIFY2(name.ok(), qPrintable(topic));
    QCOMPARE(
        authorizer.authorize(role, *name, produce ? TopicOperation::Produce : TopicOperation::Consume, subscription),
        allowed);
}

void tst_Auth::authorizationDisabled()
{
    const AuthConfig config =
        secretConfig(QJsonObject{{QStringLiteral("superUserRoles"), QJsonArray{QStringLiteral("admin")}}});
    const Authorizer authorizer(config, QStringLiteral("standalone"));
    QVERIFY(!authorizer.isEnabled());
    const auto topic = Pulsar::TopicName::parse(QStringLiteral("persistent://sample/us-west/ns1/t"));
    QVERIFY(topic.ok());
    QVERIFY(authorizer.authorize(QStringLiteral("anyone"), *topic, TopicOperation::Produce));
    QVERIFY(authorizer.authorize(QString(), *topic, TopicOperation::Consume, QStringLiteral("s")));
    QVERIFY(authorizer.canAdministerCluster(QString()));
    QVERIFY(authorizer.canAdministerTenant(QStringLiteral("anyone"), {}));
    // Super-user membership is still reported as configured.
    QVERIFY(authorizer.isSuperUser(QStringLiteral("admin")));
    QVERIFY(!authorizer.isSuperUser(QStringLiteral("anyone")));
}

void tst_Auth::administer_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QStringList>("tenantAdmins");
    QTest::addColumn<bool>("tenant");
    QTest::addColumn<bool>("cluster");

    QTest::addRow("super-user") << QStringLiteral("admin") << QStringList() << true << true;
    QTest::addRow("tenant admin") << QStringLiteral("t-admin") << QStringList{QStringLiteral("t-admin")} << true
                                  << false;
    QTest::addRow("other tenant's admin")
        << QStringLiteral("t-admin") << QStringList{QStringLiteral("x-admin")} << false << false;
    QTest::addRow("grant holder is no admin") << QStringLiteral("ns-producer") << QStringList() << false << false;
    QTest::addRow("empty role") << QString() << QStringList{QString()} << false << false;
}

void tst_Auth::administer()
{
    QFETCH(QString, role);
    QFETCH(QStringList, tenantAdmins);
    QFETCH(bool, tenant);
    QFETCH(bool, cluster);
    const Authorizer authorizer(
        secretConfig(QJsonObject{{QStringLiteral("authorizationEnabled"), true},
                                 {QStringLiteral("superUserRoles"), QJsonArray{QStringLiteral("admin")}},
                                 {QStringLiteral("grants"),
                                  QJsonObject{{QStringLiteral("namespaces"),
                                               QJsonObject{{QStringLiteral("public/default"),
                                                            QJsonObject{{QStringLiteral("ns-producer"),
                                                                         QJsonArray{QStringLiteral("produce")}}}}}}}}}),
        QStringLiteral("standalone"));
    const QSet<QString> admins(tenantAdmins.cbegin(), tenantAdmins.cend());
    QCOMPARE(authorizer.canAdministerTenant(role, admins), tenant);
    QCOMPARE(authorizer.canAdministerCluster(role), cluster);
}

// ---- TLS ----------------------------------------------------------------------------------------------------

void tst_Auth::tls_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("error");   // empty: loads
    QTest::addColumn<QString>("warning"); // empty: no warning

    const QString cert = writeFile(QStringLiteral("tls/cert.pem"), TestSupport::makeSelfSignedCertificate(m_rsa));
    const QString key = writeFile(QStringLiteral("tls/key.pem"), m_rsa.privatePem);
    const QString ecCert = writeFile(QStringLiteral("tls/ec-cert.pem"), TestSupport::makeSelfSignedCertificate(m_ec));
    const QString ecKey = writeFile(QStringLiteral("tls/ec-key.pem"), m_ec.privatePem);
    const QString otherKey = writeFile(QStringLiteral("tls/other-key.pem"), m_rsaOther.privatePem);
    const QString expired =
        writeFile(QStringLiteral("tls/expired.pem"), TestSupport::makeSelfSignedCertificate(m_rsa, -7200, -3600));
    const QString future =
        writeFile(QStringLiteral("tls/future.pem"), TestSupport::makeSelfSignedCertificate(m_rsa, 3600, 7200));
    const QString garbage = writeFile(QStringLiteral("tls/garbage.pem"), QByteArrayLiteral("not pem at all\n"));
    const QString derCert = writeFile(QStringLiteral("tls/cert.der"),
                                      QSslCertificate(TestSupport::makeSelfSignedCertificate(m_rsa)).toDer());
    const QString encrypted =
        writeFile(QStringLiteral("tls/encrypted.pem"), QByteArrayLiteral("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n"
                                                                         "-----END ENCRYPTED PRIVATE KEY-----\n"));
    const QString missing = m_dir.filePath(QStringLiteral("tls/missing.pem"));

    QTest::addRow("good RSA pair") << cert << key << QString() << QString() << QString();
    QTest::addRow("good EC pair") << ecCert << ecKey << QString() << QString() << QString();
    QTest::addRow("with client CA") << cert << key << ecCert << QString() << QString();
    QTest::addRow("mismatched key") << cert << otherKey << QString() << QStringLiteral("does not belong") << QString();
    QTest::addRow("EC key for RSA cert") << cert << ecKey << QString() << QStringLiteral("does not belong")
                                         << QString();
    QTest::addRow("missing cert") << missing << key << QString() << QStringLiteral("does not exist") << QString();
    QTest::addRow("missing key") << cert << missing << QString() << QStringLiteral("does not exist") << QString();
    QTest::addRow("no cert given") << QString() << key << QString() << QStringLiteral("No certificate file")
                                   << QString();
    QTest::addRow("cert unreadable") << m_dir.filePath(QStringLiteral("tls")) << key << QString()
                                     << QStringLiteral("Cannot read") << QString();
    QTest::addRow("cert not PEM") << garbage << key << QString() << QStringLiteral("holds no PEM certificate")
                                  << QString();
    QTest::addRow("cert in DER") << derCert << key << QString() << QStringLiteral("holds no PEM certificate")
                                 << QString();
    QTest::addRow("key not PEM") << cert << garbage << QString() << QStringLiteral("holds no PEM RSA or EC private key")
                                 << QString();
    QTest::addRow("key is the certificate")
        << cert << cert << QString() << QStringLiteral("holds no PEM RSA or EC private key") << QString();
    QTest::addRow("encrypted key") << cert << encrypted << QString() << QStringLiteral("is encrypted") << QString();
    QTest::addRow("CA not PEM") << cert << key << garbage << QStringLiteral("CA certificate file") << QString();
    QTest::addRow("CA missing") << cert << key << missing << QStringLiteral("does not exist") << QString();
    QTest::addRow("expired cert") << expired << key << QString() << QString() << QStringLiteral("expired on");
    QTest::addRow("not yet valid cert") << future << key << QString() << QString()
                                        << QStringLiteral("not valid before");
}

void tst_Auth::tls()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, ca);
    QFETCH(QString, error);
    QFETCH(QString, warning);

    const auto tls = loadServerTls(cert, key, ca);
    if (!error.isEmpty()) {
        QVERIFY(!tls.ok());
        QVERIFY2(tls.error().message.contains(error), qPrintable(tls.error().message));
        return;
    }
    QVERIFY2(tls.ok(), tls.ok() ? "" : qPrintable(tls.error().message));
    const QSslConfiguration &configuration = tls->configuration;
    QCOMPARE(configuration.protocol(), QSsl::TlsV1_2OrLater);
    QCOMPARE(configuration.localCertificate(), QSslCertificate::fromPath(cert).value(0));
    QVERIFY(!configuration.privateKey().isNull());
    QCOMPARE(configuration.peerVerifyMode(), ca.isEmpty() ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
    if (!ca.isEmpty())
        QCOMPARE(configuration.caCertificates(), QSslCertificate::fromPath(ca));
    if (warning.isEmpty()) {
        QVERIFY2(tls->warnings.isEmpty(), qPrintable(tls->warnings.join(QLatin1Char('\n'))));
    } else {
        QCOMPARE(tls->warnings.size(), 1);
        QVERIFY2(tls->warnings.first().contains(warning), qPrintable(tls->warnings.first()));
    }
}

void tst_Auth::tlsHandshake()
{
    // The loaded configuration really serves TLS: a QSslServer hands out the socket once it is encrypted (through
    // pendingConnectionAvailable, not newConnection), and the session is TLS 1.2 or later.
    const QString cert = writeFile(QStringLiteral("hs/cert.pem"), TestSupport::makeSelfSignedCertificate(m_rsa));
    const QString key = writeFile(QStringLiteral("hs/key.pem"), m_rsa.privatePem);
    const auto tls = loadServerTls(cert, key);
    QVERIFY(tls.ok());

    QSslServer server;
    server.setSslConfiguration(tls->configuration);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSignalSpy pending(&server, &QTcpServer::pendingConnectionAvailable);

    QSslSocket client;
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({QSslCertificate::fromPath(cert).value(0)});
    clientConfig.setPeerVerifyMode(QSslSocket::VerifyPeer);
    client.setSslConfiguration(clientConfig);
    client.setPeerVerifyName(QStringLiteral("localhost"));
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), QStringLiteral("localhost"));
    QTRY_COMPARE(encrypted.size(), 1);
    QTRY_COMPARE(pending.size(), 1);
    auto *serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    QVERIFY(serverSide);
    QVERIFY(serverSide->isEncrypted());
    QVERIFY(client.sessionProtocol() == QSsl::TlsV1_2 || client.sessionProtocol() == QSsl::TlsV1_3);
    QCOMPARE(client.peerCertificate(), QSslCertificate::fromPath(cert).value(0));

    client.write("ping");
    QTRY_COMPARE(serverSide->bytesAvailable(), qint64(4));
    QCOMPARE(serverSide->readAll(), QByteArrayLiteral("ping"));
}

QTEST_GUILESS_MAIN(tst_Auth)
#include "tst_auth.moc"
