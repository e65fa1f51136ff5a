// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Policy;

namespace Charter.Tests.PolicyIntegration;

public sealed class PolicyRequestAuthorizerTests
{
    [Theory]
    [InlineData("{\"error\":{\"message\":\"This account has been deactivated.\",\"code\":\"account_deactivated\"}}", true)]
    [InlineData("{\"error\":{\"message\":\"Your organization is suspended.\"}}", true)]
    [InlineData("{\"error\":{\"message\":\"Incorrect API key provided.\",\"code\":\"invalid_api_key\"}}", false)]
    [InlineData("{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"This organization has been disabled.\"}}", true)]
    [InlineData("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Streaming is disabled for this model.\"}}", false)]
    [InlineData("", false)]
    public void NamesSuspendedAccount_Body_DetectsSuspensionWording(string body, bool expected) =>
        Assert.Equal(expected, PolicyRequestAuthorizer.NamesSuspendedAccount(Encoding.UTF8.GetBytes(body)));
}
