/** A form's refusal, read out as it appears. */
export function FieldError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <span role="alert" className="text-xs text-red-700">
      {message}
    </span>
  );
}
