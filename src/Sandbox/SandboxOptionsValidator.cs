using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Pipeline.Sandboxing;

/// <summary>Validates the bound "Sandbox" section with <see cref="SandboxOptions.Validate"/>, so a bad value is
/// reported as <c>Sandbox:Name: why</c>.</summary>
public sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ValidationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
