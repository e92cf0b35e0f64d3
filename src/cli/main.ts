console.log('grounded cli');
