// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Charter.Keys;

namespace Charter.Tests.Keys;

/// <summary>The stored hash of a key and the hash of a presented key must agree, whatever the key's length.</summary>
public sealed class KeySecretsTests
{
    [Theory]
    [InlineData("ck-")]
    [InlineData("ck-0123456789abcdefghijABCDEFGHIJ0123456789")]
    [InlineData("ck-ünïcödé-ключ-鍵")]
    public void Hash_PresentedSpan_EqualsTheStoredHash(string secret)
    {
        Span<byte> presented = stackalloc byte[32];
        KeySecrets.Hash(secret.AsSpan(), presented);

        Assert.Equal(KeySecrets.Hash(secret), presented.ToArray());
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), presented.ToArray());
    }

    [Fact]
    public void Hash_SecretLongerThanTheStackBuffer_EqualsTheStoredHash()
    {
        var secret = "ck-" + new string('é', 400); // 803 UTF-8 bytes: the heap path
        Span<byte> presented = stackalloc byte[32];
        KeySecrets.Hash(secret.AsSpan(), presented);

        Assert.Equal(KeySecrets.Hash(secret), presented.ToArray());
    }

    [Fact]
    public void NewSecret_TwoCalls_DistinctWithPrefixAnd43Characters()
    {
        var a = KeySecrets.NewSecret();
        var b = KeySecrets.NewSecret();

        Assert.NotEqual(a, b);
        Assert.StartsWith("ck-", a, StringComparison.Ordinal);
        Assert.Equal(43, a.Length);
    }
}
