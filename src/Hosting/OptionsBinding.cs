using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pipeline.Hosting;

/// <summary>Binds one configuration section to a settings class and validates its data annotations, outside
/// dependency injection (a command, or a run's settings read before any host exists). A bad value stops with an
/// <see cref="OptionsValidationException"/> whose failures name the setting (<c>Run:Steps: …</c>).</summary>
public static class OptionsBinding
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(section, typeof(T), [$"{section}: {e.InnerException?.Message ?? e.Message}"]);
        }
        Validate(value, section);
        return value;
    }

    public static void Validate<T>(T value, string section) where T : class
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            throw new OptionsValidationException(section, typeof(T),
                results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
