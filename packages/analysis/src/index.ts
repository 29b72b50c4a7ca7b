/**
 * @packageDocumentation
 * @resnet/analysis — see README.md.
 */
/** The npm name of this package. */
export const PACKAGE_NAME = '@resnet/analysis';
