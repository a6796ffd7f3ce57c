namespace Cloud.Modules.Swift.Storage;

/// <summary>A refusal of the container or account server, answered with its status and a text/plain message.</summary>
internal sealed class ContainerHttpException(int status, string message) : Exception(message)
{
    public int Status => status;
}
