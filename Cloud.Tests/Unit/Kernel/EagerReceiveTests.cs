using Cloud.Modules.Kernel.Http;
using FluentAssertions;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public class EagerReceiveTests
{
    [Test]
    public void The_transport_takes_its_buffer_without_a_zero_byte_receive_first()
    {
        var sockets = new SocketTransportOptions();
        sockets.WaitForDataBeforeAllocatingBuffer.Should().BeTrue("Kestrel's default, which the setting changes");

        EagerReceive.Configure(sockets);

        sockets.WaitForDataBeforeAllocatingBuffer.Should().BeFalse();
    }
}
