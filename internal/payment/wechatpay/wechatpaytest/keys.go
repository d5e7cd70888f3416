package wechatpaytest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// The test keys are fixed RSA-2048 keys made for these tests only (they
// guard nothing), so tests need not spend time generating keys.
const (
	// mchKeyPEM is the merchant API private key (apiclient_key.pem).
	mchKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCUEmqALZ8zbqIq
a+1Lo5+mAQDn6PUI3rl4MFy34VqpQD7obiWWXZVsruGQmDylxK1gyDIHyr2uPwRT
bwYa21kgDY/Hz8eBwbrHOJ5YIuh/Kh7N2jRiJs0wNeIta3pcbv8+ckyCKxSYjZpV
ffuyKQog4okhGO1N7AvvLBPM3Mx7DsjzvoX7UG1oEgDDKVRBo3M7D6S4aeBFrGQo
vmiXeHptmELzf0km4nB5xDQW0D+nvlGGh7tDavYaTwwRh4q4xAPyaSagtsJABPOF
i3xom9U3KzB4jr6W6dHEEmRcMmONy2qA0zHKendvgcYSqlAQ5IGZ3PWXuNRl2jKy
VWs4FTXlAgMBAAECggEAA/GXn5FXf6WvMQUN3Wleu6ukLAkS2akg9HgJSCZ65S4e
Xs9sNdyJOctQm6rKVrntyjmax4VZVvY7tcMrvPRho85oqXA5xpVz1ZGG+h735Uco
aeApbAHPjjypKP+HU0Xri2y85+yg0E1ZMnS4Cu8341dVQqnozB4A1V5tqpOo6JAa
XS31DZ3+EdjrVravN/0r1Eq/VlwyxV0iv/6Hr/yM3PoUR0jx0a85ikRpGfEDkGZX
7WQo9tbkxRd64raTzo4PMF/6EZeA5+o2ZgSw+JY2fz1aIiuthtStwKNcGvhi/8cV
EuC7BbynfH5GLqzEtA+RSbMZH2ePL3Fc0AkWX90fkQKBgQDL9m8xsmBdoSR7zQ+C
f5kH4Ayp0oN6I/8Jmz+jcP+ZuIO0T4MlXPJwek+gDwpefywtwAvsoA3bUWmEeTb8
zwnfM9qM2DOCgwkl2uFcCgwsvz2+yVsjdyGEa6bbG8FOUxjhrmdGN03O5DT8n5HG
wvs5N2tXxvGUiFuYF/70vM+0KQKBgQC52YzkvKXlaj0OgveVYXq3Z9VZVUkCr13+
EA6xa/ScI3PZwHpmuLK8PaXNiz1DJFTJZYbT/c1b57uDm1OhnqfGYGALJMDGPXFh
itNXG2+ZltJ6CnQb0c0OdDI6hMmr+X5q6JiqwTNfQ7C2PoZCDR6wsiv6STwzLbZM
X4plCSsLXQKBgQCCgLqi9Lw+DFY4tHthB12WMWBI5L5lT1TnA6PTYwDYjbwPifSi
2nbxSwFZq2X6Eqrk1wWKMNrM4ql+LsTlO1/YpegHyGok7szSoNsjNfaWRwMt6M5c
weP7Q5ouhfLIt9iqxhmkTsyFPXU90qfGool2EaSoNE3suNbKWUgztf+8CQKBgQCl
FU+HpuKdo/7UMxWFBW+iFoN2tMEDt46ALPdANiqzvvIbTFPthsaNWx06NSKXz1/Y
/WwERn/x0SfJQWHKQEm7dsQZYe4yqUVbZZtQ1rgM7+HKMhrs0zGYUzKCtI0HS7k1
caKamr7tMg139JYBefH29m0GB6OHumUh9gPSt5AaqQKBgDjC1BQ9CRqfuumuuVBu
9KmbbPedy1aJOj9wxzYPNB/H2MsqRpTn70+rJa4f52qNNLTHmrw2ZJI+wgq4ib0R
2kePamPiaytiNT9sAJBADM4F/NcM8sAG2L6AI4oan3+3BihwAiokEIShqtvCNc89
ti9maXv6XE1dv6U7gQ4OpY39
-----END PRIVATE KEY-----
`
	// platformKeyPEM is the WeChat Pay private key the fake signs with.
	platformKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC94SZjcffcW9mj
acnLDwpjjQbVUbMFXo6GiR91G0Ja4hw8yH5WBA+qecLIxsF5vA8WqFhm+oxpQB8K
A6Cv4RPX2RtWgPq7qhjhARQNJDbEiI6wAbQ93rtZyGQV3yzCJ4kJT2ALinGR6Qye
kISI3c0bwv2yK14lgbtiDg1iHBXeHveITcsQu3C8qw30K0Yw9HjZvNgxoBiAAYvk
WvxGjlN6SgcB4smlKgbtiMExCtH6Y3HSorgDMcQgMliHHOJe69KTTP5AhMn94mC4
vS51ve1zShOS8cVoZdlLD7d9YsJQe2E+jYYAveqBIEqCENFqsfrrF+iYwtkZVZxl
driNpFr1AgMBAAECggEAFZFBXwJO+QSlz93wQdRPhcc7A3foMa/v2HAy1oZmHxSX
yH+tee+0J9T0vwF0cHNf817jy66hzEKwQ97tnYyfSGEsrcKwuCg18zjAIk3+uowY
SP2oj26BMU2FsMZMuzDqa9hMPINZKw2hlVEs/K7U4VZgoqAybWgy9IxMENzHzxbb
ACO14ktgn1n90C6HtSbtiE/d1paBN7ydqCxciKH3tDu3yI252uZx9ZZN0J3c9cpy
9BceTNav8wJQHA8xf2UXcokl9IwO1UMxPIGcbI/dqjqYtZ2a6HoF8uM8729K8DAz
FvwjSodmQO+WQSznJwOZB68/e7PWAdxmRm2z/Ov9AQKBgQD1QNmEyo5hKWLM10Fh
u4L/U9TkTZo3umJh5bVrPeAIL3R21lGvtmZB4IT9qovPQAWW9mb1vKnzkarI/Wtm
jchfLIKECr4Iw9vq83oxusj18I42KSganetRda5O7q7Jwdyp92Kb1m9MCaOg0Xqs
JQKVstnAewWMRtDum6tzIyHtpQKBgQDGMyO7aBwtm3IrlCqv6+4DHBLvZ4TaXfnE
uRv7VX25Q9apv0E7wEJLuK5b+r7sCtwcHTpwSnxevGWdEyPhYpag8mTw3c5XiOpP
0HGWlfFzhKaUXICawyfpMer5l3/BACMS69qjgUpT5b9FG1zFiHHng53KMs9C/0e8
IoVx5TbXEQKBgQCclOTLhU9V9UhhI+VYcpF2Vp2LjYgyoEsD2db0OzL3xuSCot7Q
YpHy6Ve/ZM2SanunIHYn2mZfXdc+L54MgeU17oL9rqYZjoKwBPc1HN4FN6p0Jd62
77A39/xr5LOvmJg74/gPKt8wGs9fc57wnUiDLwcbfu/R2by3OqhCAGI/CQKBgQDC
NfY7ewaxgfJb1XIGtC6jiWzcfhlmSFOoeqJ6owjw8xJzft8TB49u12ay5n8SmIma
WuGaisJXqk//nHO6NHrY9uwGQbIhgB3pW50SK5dO1JrOId46yCRhkvJm5BbhLZsw
vT+em+ATWbsUon1DajIC46tIKIWDZtYJ+eG8+xfDoQKBgBhUS0zy4WeTXldpigsB
4jrMJ1XLDAlLnhLCocDLksK+BnMfU0oP1qYD8QGTVbIIA5eS0mAH4L+msmF5T7Pn
BBto2wneBKqsBHUH7SydWrjx3XQzVuxrC3GhPymEXr+U+Jj253JMKDW4d98v7xGG
KamAz8fgu02dRDcSEKVuuNQy
-----END PRIVATE KEY-----
`
	// strangerKeyPEM is a stranger's key, for forgeries.
	strangerKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC8yChBcAUCUYAY
Zvk507Ilf6HyvcQ7679Lwil07opfLcZ+0+OD+CgIF1ROVoeptSBPYNKXBszwuRmr
sryBaihrCQddFfdMVQ6TL8PsEdMeXYs4b7PE5hTiGbL0tcXLMnQgAQjq6cAxhcF5
rqtd2/HH8O1d30O02m/I+B1HytXbeqNIb8JWqYVID4kOEJhRkS5226xqJbUOTLyI
hZjc4wucxSWs4E8jMkqlEo+6YrHURmysCQTZdpsp9lQ0Tmqf6m1/E/04fwCnwInu
0NdmKod+++IZPUTnOvhbGyTpdgFkxtlUtOBrQ7A8ndt57QRHbvVaCtJuAiMMrrFN
DG0f5SuhAgMBAAECggEAIpClakHX8PI6OX2VMWTU7++8F8VuKiiCiJz+2TWZ6U5o
0yz5sd6cecrHuWY3hbevuEj6lgN9P7Ashpb909Y7m0l2azFL69KBDisHPPCQjrVC
+ezd5fXYqgNZlFu54PgWcguuddChy495es2j+9X7IYg39eGctH7wS8Q+HDiDyqEL
o8+w9RR0vusNeiIHzP4c43hopb/QvNPfHNaZn4zssKtEWpnbIk9BJb5/aVT67jeC
fbQ5rrbjc7lHboc/x6sWfE1ZCYh7VtyBKeGHklfRjLK9V7jHGScAX90dHp+2G4p3
mrm8iceQLdeh83Fc1dSn2tnlth52DImXngx1yuU3PwKBgQDpAVbMOfIgL8P74pGB
lO8pGjgFgM5zeIdVbIauOI1QVXnp9Hm2/NQHbjC446SDL8Qjy6XkgYFphYgo5l6K
TY8HnqzZ3PX6P2YqfTrGctJQUSFW7IL0JOxNZ8Lm+t+ko42lx48t5I30b12KGCz2
3jbq/KwSDQ+AVjWwsl8Qu3SBpwKBgQDPaY5N9fF7JYFbzG5VCv7OVtHAs4E10PBy
InoRtlx9R3yfG82XSEVKsSq2rl7FG9Jj5wR9ersmjolYe9gq2ApCuFn3uJAOsEub
6EZnvauHKSdrr6y3/y6v7J/qIwJXLmDeh8ZAywqPMaS4ndTTc9U3ZrATgdSwfqYO
kzraVNLBdwKBgQC+vGnhJE4gKvmz5/RUryZX7y6M0rQtsiyWsRBO7dxANrhl28sH
EFBBBOK9dxvkh+V3p+1U8O6PAtBDKtGZRYQgKLQ2Y7q3784iWgETEks3lDJGhbVt
RgxqENZrXlJU483AN2vtlXre7YsU0FV+gMlT8yKoZCicVfX9fwZzHABzYQKBgHwW
AnTRtu6duY5Z94gZU+fOOR64RY0Uu0UNK0p9d0fcBMqLr6vaKNpOs+cm2rvBsVTj
WORZEK44iCLPtLutFDZmZCy31jdzcUiM5dIavwvVqyfZqdNKb3wAbIt+9l+B96Iq
SIlq755LbOimRDVdDypd3OlOuxf8LQx7OLJ2HMBxAoGAM1EOQvFt+4bNRRHJggoF
rYgic3oYmroiVE43c5gDP6RfuMIn61Gvlk7nvLeS+a2v2pP1rvIH2sUdx6ESIDwl
5cCF/ELbEtXSiTtT03LFgaSVKqwK0kXgNWTdkNLGgm46xh4+1l9/C44QyuCAfvtW
z6mHqUPBgvr1Br1TTNn5qas=
-----END PRIVATE KEY-----
`
)

// Keys are the private keys of a test: the merchant's, WeChat Pay's and a
// stranger's.
type Keys struct {
	// Mch is the merchant API private key; the fake checks our requests
	// against its public half.
	Mch *rsa.PrivateKey
	// Platform is WeChat Pay's private key; its public half is what the
	// provider verifies answers and notifications with.
	Platform *rsa.PrivateKey
	// Stranger is nobody's key: anything it signs is a forgery.
	Stranger *rsa.PrivateKey
}

// TestKeys parses and returns the fixed test keys.
func TestKeys() Keys {
	return Keys{Mch: mustKey(mchKeyPEM), Platform: mustKey(platformKeyPEM), Stranger: mustKey(strangerKeyPEM)}
}

func mustKey(s string) *rsa.PrivateKey {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		panic("wechatpaytest: bad key PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		panic(fmt.Sprintf("wechatpaytest: parse key: %v", err))
	}
	return k.(*rsa.PrivateKey)
}
