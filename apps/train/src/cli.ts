/** resnet-train: placeholder entry until the training app lands (issue 8). */
console.log('resnet-train: not built yet');
