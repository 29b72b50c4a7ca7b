/**
 * @packageDocumentation
 * @resnet/backend — see README.md.
 */
/** The npm name of this package. */
export const PACKAGE_NAME = '@resnet/backend';
